import os
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po catalogues to .mo files (pure Python: no GNU gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                # Written beside and then renamed: a test run reading the catalogue meanwhile never sees half a file.
                mo_path = po_path.with_suffix(".mo")
                partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.partial")
                polib.pofile(str(po_path)).save_as_mofile(str(partial))
                os.replace(partial, mo_path)
                self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)}")
