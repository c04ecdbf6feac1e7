from typing import Any

from django.core.management.base import BaseCommand

from coopsip.recommendations.services import close_due_rounds


class Command(BaseCommand):
    help = "Close the consent rounds whose closing time has passed (from cron; the pages also close a due round)."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_rounds()
        self.stdout.write(f"{closed} consent round(s) closed.")
