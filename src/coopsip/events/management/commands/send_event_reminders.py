from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from coopsip.events.notifications import send_due_reminders


class Command(BaseCommand):
    help = "Send the event reminders that are due (run it every 15 minutes from cron; it never sends one twice)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_due_reminders(now=timezone.now())
        self.stdout.write(f"{count} reminder(s) sent.")
