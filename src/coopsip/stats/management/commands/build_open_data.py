from typing import Any

from django.core.management.base import BaseCommand

from coopsip.stats.opendata import rebuild


class Command(BaseCommand):
    help = "Build the open-data ZIP again and keep it in the shared cache (run nightly from the scheduler)."

    def handle(self, *args: Any, **options: Any) -> None:
        data = rebuild()
        self.stdout.write(f"open data: {len(data)} bytes")
