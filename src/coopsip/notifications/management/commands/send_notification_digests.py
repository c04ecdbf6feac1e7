from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from coopsip.core.notifications import send_digests


class Command(BaseCommand):
    help = "Send each person their daily digest of notifications (run once a day from cron; never sends twice a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_digests(now=timezone.now())
        self.stdout.write(f"{count} digest(s) sent.")
