"""The journal of account deletions, kept beside the backups and replayed by a restore.

A restore brings the database back to the night of its backup: a person who deleted their account
the day after would come back. Each deletion appends one line to ``COOPSIP_BACKUP_DIR/deletions.jsonl``
(outside the database, so a restore does not roll it back): the account's number, a hash of its
address (to check it is the same account, without keeping the address) and the time. ``manage.py
restore`` deletes again every account of the journal deleted after the backup was taken.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coopsip.core import privacy

JOURNAL_NAME = "deletions.jsonl"


def backup_dir() -> Path:
    return Path(settings.COOPSIP_BACKUP_DIR)


def journal_path() -> Path:
    return backup_dir() / JOURNAL_NAME


def address_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def record_deletion(user: Any) -> None:
    """Called inside the deletion's transaction (a privacy section): written once it commits."""
    entry = {"user": user.pk, "email_sha256": address_hash(user.email), "at": timezone.now().isoformat()}
    transaction.on_commit(lambda: append(entry))


def append(entry: dict[str, Any]) -> None:
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as journal:
        fcntl.flock(journal, fcntl.LOCK_EX)  # several web processes append at once
        journal.write(json.dumps(entry) + "\n")
        journal.flush()


def entries(*, after: datetime | None = None) -> list[dict[str, Any]]:
    path = journal_path()
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        if after is None or datetime.fromisoformat(entry["at"]) >= after:
            found.append(entry)
    return found


def replay(*, after: datetime | None) -> list[int]:
    """Delete again every account the journal deleted after ``after``; returns their numbers."""
    from coopsip.accounts.models import User
    from coopsip.accounts.services import delete_account

    deleted = []
    for entry in entries(after=after):
        user = User.objects.filter(pk=entry["user"], deleted_at__isnull=True).first()
        if user is None or address_hash(user.email) != entry["email_sha256"]:
            continue
        delete_account(user=user)
        deleted.append(user.pk)
    return deleted


privacy.register("deletion_journal", export=lambda user: None, erase=record_deletion, models=())
