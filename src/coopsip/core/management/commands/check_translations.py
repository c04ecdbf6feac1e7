from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Fail when a nl, fr or en catalogue has an untranslated or fuzzy entry."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for code, _name in settings.LANGUAGES:
            path = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"
            if not path.exists():
                problems.append(f"{code}: no catalogue at {path}")
                continue
            catalogue = polib.pofile(str(path))
            for entry in catalogue:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{code}: fuzzy: {entry.msgid[:70]!r}")
                elif not entry.translated():
                    problems.append(f"{code}: untranslated: {entry.msgid[:70]!r}")
            self.stdout.write(f"{code}: {len([e for e in catalogue if not e.obsolete])} entries")
        if problems:
            raise CommandError("Incomplete translations:\n" + "\n".join(problems))
        self.stdout.write("All catalogues complete.")
