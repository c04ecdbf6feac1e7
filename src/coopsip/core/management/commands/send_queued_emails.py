from typing import Any

from django.core.management.base import BaseCommand

from coopsip.core.mail import requeue_pending_emails


class Command(BaseCommand):
    help = "Enqueue a delivery for every email that is still waiting to be sent."

    def handle(self, *args: Any, **options: Any) -> None:
        count = requeue_pending_emails()
        self.stdout.write(f"{count} email(s) enqueued.")
