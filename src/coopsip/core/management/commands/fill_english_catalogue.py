from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Our source texts are English: copy each untranslated English msgid to its msgstr."

    def handle(self, *args: Any, **options: Any) -> None:
        for locale_dir in settings.LOCALE_PATHS:
            path = Path(locale_dir) / "en" / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(path))
            filled = 0
            for entry in catalogue:
                if entry.obsolete:
                    continue
                # A fuzzy entry holds the English of an older source text: replace it.
                fuzzy = "fuzzy" in entry.flags
                if fuzzy:
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
                if entry.msgid_plural:
                    if fuzzy or not all(entry.msgstr_plural.values()):
                        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                        filled += 1
                elif fuzzy or not entry.msgstr:
                    entry.msgstr = entry.msgid
                    filled += 1
            catalogue.save()
            self.stdout.write(f"{filled} English entries filled")
