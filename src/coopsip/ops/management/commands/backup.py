from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopsip.ops import backups


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploads into COOPSIP_BACKUP_DIR, "
        "beside the journal of account deletions; removes backups older than --keep-days."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dir", type=Path, help="Folder of the backups (default: COOPSIP_BACKUP_DIR).")
        parser.add_argument("--keep-days", type=int, default=30)

    def handle(self, *args: Any, dir: Path | None, keep_days: int, **options: Any) -> None:
        try:
            backup = backups.take(folder=dir, keep_days=keep_days)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup {backup.name} in {backup.folder}.")
