from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from coopsip.groups import services


class Command(BaseCommand):
    help = (
        "Remind people whose answer to a proposed group is due in two days, and expire the answers past their "
        "deadline, and free the seats of people who withdrew (run it every 15 minutes from cron; it never sends "
        "a reminder twice)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        reminded = services.remind_due(now=now)
        expired = services.expire_overdue(now=now)
        released = services.release_withdrawn(now=now)
        self.stdout.write(f"{reminded} reminder(s) sent, {expired} answer(s) expired, {released} seat(s) freed.")
