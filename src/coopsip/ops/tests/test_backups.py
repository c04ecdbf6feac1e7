"""Backups (issue 17): `manage.py backup` and `restore`, the journal of account deletions replayed by a
restore so that no deleted person comes back, and a restore drill on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from coopsip.accounts.models import User
from coopsip.accounts.services import delete_account
from coopsip.ops import journal


@pytest.fixture(autouse=True)
def _backup_dir(settings: Any, tmp_path: Path) -> None:
    settings.COOPSIP_BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db(transaction=True)
def test_deleting_an_account_writes_the_journal_beside_the_backups_without_the_address(nonmember: User) -> None:
    delete_account(user=nonmember)
    [entry] = journal.entries()
    assert entry["user"] == nonmember.pk
    assert entry["email_sha256"] == journal.address_hash("julien@example.org")
    assert "julien" not in journal.journal_path().read_text()


@pytest.mark.django_db(transaction=True)
def test_replaying_the_journal_deletes_again_an_account_a_restore_brought_back(nonmember: User, member: User) -> None:
    journal.append(
        {"user": nonmember.pk, "email_sha256": journal.address_hash(nonmember.email), "at": "2026-12-03T10:00:00+00:00"}
    )
    # An entry whose account number now belongs to someone else (another address) is left alone.
    journal.append(
        {
            "user": member.pk,
            "email_sha256": journal.address_hash("other@example.org"),
            "at": "2026-12-03T10:00:00+00:00",
        }
    )
    from datetime import UTC, datetime

    assert journal.replay(after=datetime(2026, 12, 3, tzinfo=UTC)) == [nonmember.pk]
    nonmember.refresh_from_db()
    assert nonmember.deleted_at is not None and nonmember.email.endswith("@deleted.invalid")
    member.refresh_from_db()
    assert member.deleted_at is None
    # Deletions from before the backup are in it already: not replayed again.
    assert journal.replay(after=datetime(2026, 12, 4, tzinfo=UTC)) == []


if not os.environ.get("DATABASE_URL", "").startswith("postgres"):

    @pytest.mark.django_db
    def test_backup_says_it_needs_postgresql_on_sqlite() -> None:
        with pytest.raises(CommandError, match="Backups need PostgreSQL"):
            call_command("backup")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


PAGES = """
from django.test import Client
from coopsip.accounts.models import User
client = Client()
print(client.get("/en/").status_code, client.get("/health/").status_code,
      User.objects.filter(email="lotte@example.org").exists(),
      User.objects.get(pk=PK).deleted_at is not None)
"""


if os.environ.get("DATABASE_URL", "").startswith("postgres"):

    @pytest.mark.django_db(transaction=True)
    def test_restore_drill_backup_restore_into_a_new_database_migrate_check_and_pages(
        member: User, nonmember: User, tmp_path: Path
    ) -> None:
        media = Path(django_settings.MEDIA_ROOT)
        (media / "resources").mkdir(parents=True)
        (media / "resources" / "guide.pdf").write_bytes(b"%PDF-1.4 guide")
        call_command("backup")
        [manifest] = (tmp_path / "backups").glob("coopsip-*.json")
        assert json.loads(manifest.read_text())["database"] == connection.settings_dict["NAME"]
        delete_account(user=nonmember)  # after the backup: the journal keeps it

        db = connection.settings_dict
        target = f"{db['NAME']}_restored"
        server = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}"
        env = {
            **os.environ,
            "DATABASE_URL": f"{server}/{target}",
            "COOPSIP_BACKUP_DIR": str(tmp_path / "backups"),
            "MEDIA_ROOT": str(tmp_path / "restored-media"),
            "ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "coopsip.settings",
        }
        try:
            restored = manage("restore", "latest", "--yes", env=env)
            assert "1 account(s) deleted since then deleted again" in restored.stdout
            manage("migrate", "--check", env=env)
            pages = manage("shell", "-c", PAGES.replace("PK", str(nonmember.pk)), env=env)
            assert pages.stdout.strip().splitlines()[-1] == "200 200 True True"
            assert (tmp_path / "restored-media" / "resources" / "guide.pdf").read_bytes() == b"%PDF-1.4 guide"
            # A second restore over the first works too (--clean --if-exists).
            manage("restore", "latest", "--yes", "--no-media", env=env)
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
