"""Backups of the database (pg_dump) and the uploads, and their restore with the deletion journal.

A backup is three files in ``COOPSIP_BACKUP_DIR`` named after the moment it was taken (UTC):
``coopsip-20261203T021500Z.dump`` (pg_dump's custom format), ``….media.tar.gz`` (MEDIA_ROOT) and
``….json`` (what was saved, when). The journal of account deletions (``deletions.jsonl``) lives
beside them and is replayed by a restore.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from coopsip.ops import journal

PREFIX = "coopsip-"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    name: str
    folder: Path

    @property
    def dump(self) -> Path:
        return self.folder / f"{self.name}.dump"

    @property
    def media(self) -> Path:
        return self.folder / f"{self.name}.media.tar.gz"

    @property
    def manifest(self) -> Path:
        return self.folder / f"{self.name}.json"

    def taken_at(self) -> datetime:
        return datetime.fromisoformat(json.loads(self.manifest.read_text())["taken_at"])


def pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for ``database`` (a DATABASES entry): no password on a command line."""
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def require_postgresql() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise BackupError("Backups need PostgreSQL (DATABASE_URL); on SQLite, copy the database file instead.")
    return dict(connection.settings_dict)


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def take(*, folder: Path | None = None, keep_days: int = 30, now: datetime | None = None) -> Backup:
    database = require_postgresql()
    folder = folder or journal.backup_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(UTC)
    backup = Backup(name=f"{PREFIX}{now:%Y%m%dT%H%M%SZ}", folder=folder)
    env = pg_environment(database)
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(backup.dump), database["NAME"]], env)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(backup.media, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    backup.manifest.write_text(
        json.dumps({"taken_at": now.isoformat(), "database": database["NAME"], "media": str(media)}, indent=2)
    )
    prune(folder=folder, keep_days=keep_days, now=now)
    return backup


def prune(*, folder: Path, keep_days: int, now: datetime) -> list[str]:
    removed = []
    for manifest in sorted(folder.glob(f"{PREFIX}*.json")):
        backup = Backup(name=manifest.stem, folder=folder)
        if now - backup.taken_at() > timedelta(days=keep_days):
            for path in (backup.dump, backup.media, backup.manifest):
                path.unlink(missing_ok=True)
            removed.append(backup.name)
    return removed


def find(name: str, *, folder: Path | None = None) -> Backup:
    folder = folder or journal.backup_dir()
    if name == "latest":
        manifests = sorted(folder.glob(f"{PREFIX}*.json"))
        if not manifests:
            raise BackupError(f"No backup in {folder}.")
        name = manifests[-1].stem
    backup = Backup(name=name.removesuffix(".dump"), folder=folder)
    if not backup.dump.exists() or not backup.manifest.exists():
        raise BackupError(f"No backup {name!r} in {folder}.")
    return backup


def restore(backup: Backup, *, media: bool = True) -> list[int]:
    """Into the configured database (created if missing): the dump, the uploads, then the deletions
    made since the backup. Returns the accounts deleted again."""
    database = require_postgresql()
    env = pg_environment(database)
    _create_database_if_missing(database, env)
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--exit-on-error",
            "--dbname",
            database["NAME"],
            str(backup.dump),
        ],
        env,
    )
    if media and backup.media.exists():
        target = Path(settings.MEDIA_ROOT)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(backup.media, "r:gz") as archive:
            archive.extractall(target.parent / ".restore", filter="data")
        extracted = target.parent / ".restore" / "media"
        if extracted.exists():
            extracted.rename(target)
        else:
            target.mkdir()
        shutil.rmtree(target.parent / ".restore", ignore_errors=True)
    return journal.replay(after=backup.taken_at())


def _create_database_if_missing(database: dict[str, Any], env: dict[str, str]) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
