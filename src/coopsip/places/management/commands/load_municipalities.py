from typing import Any

from django.core.management.base import BaseCommand

from coopsip.places.services import load_municipalities


class Command(BaseCommand):
    help = "Load the Belgian and French municipalities shipped with coopsip (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        added = load_municipalities()
        self.stdout.write(f"{added} municipalities added.")
