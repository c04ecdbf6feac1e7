import json
import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_ci_asked_for() -> None:
    expected = os.environ.get("COOPSIP_EXPECT_DB")
    if expected is None:
        pytest.skip("COOPSIP_EXPECT_DB not set: any database will do on a laptop")
    assert connection.vendor == expected


def _databases_with(env: dict[str, str]) -> dict:
    code = "import json, coopsip.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_database_url_it_uses_sqlite_in_wal_mode_with_immediate_transactions(tmp_path) -> None:
    db = _databases_with({"DATA_DIR": str(tmp_path)})
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


def test_database_url_picks_postgresql_with_psycopg() -> None:
    db = _databases_with({"DATABASE_URL": "postgres://coopsip:secret@db.example:5432/coopsip"})
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"], db["USER"]) == ("db.example", "coopsip", "coopsip")
