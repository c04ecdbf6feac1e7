from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from coopsip.events.notifications import send_due_reminders
from coopsip.events.services import release_lapsed_holds


class Command(BaseCommand):
    help = (
        "Send the event reminders that are due and give seats that visitors did not confirm in time to the "
        "waiting list (run it every 15 minutes from cron; it never sends or moves anything twice)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        count = send_due_reminders(now=now)
        self.stdout.write(f"{count} reminder(s) sent.")
        # A safety net for the task planned at each hold's lapse (a queue without planned tasks, a worker down).
        moved = release_lapsed_holds(now=now)
        self.stdout.write(f"{moved} person(s) moved from the waiting list to a lapsed seat.")
