from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from coopsip.ops import backups


class Command(BaseCommand):
    help = (
        "Restore a backup into the database of DATABASE_URL (created if missing; its tables are replaced), "
        "put back the uploads, then delete again the accounts deleted since the backup (the journal)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="The backup's name (coopsip-20261203T021500Z) or 'latest'.")
        parser.add_argument("--dir", type=Path, help="Folder of the backups (default: COOPSIP_BACKUP_DIR).")
        parser.add_argument("--no-media", action="store_true", help="Leave MEDIA_ROOT as it is.")
        parser.add_argument("--yes", action="store_true", help="Do not ask: the database's content is replaced.")

    def handle(self, *args: Any, name: str, dir: Path | None, no_media: bool, yes: bool, **options: Any) -> None:
        try:
            backup = backups.find(name, folder=dir)
            if not yes:
                from django.db import connection

                answer = input(f"Replace the database {connection.settings_dict['NAME']} with {backup.name}? [y/N] ")
                if answer.strip().lower() not in ("y", "yes"):
                    raise CommandError("Nothing restored.")
            deleted = backups.restore(backup, media=not no_media)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {backup.name}; {len(deleted)} account(s) deleted since then deleted again from the journal."
        )
