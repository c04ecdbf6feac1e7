from typing import Any

from django.core.management.base import BaseCommand

from coopsip.networking import digests, services


class Command(BaseCommand):
    help = "Remind authors of offers and needs that end within a week; send the saved searches' digests that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = services.send_expiry_reminders()
        told = digests.send_saved_search_digests()
        self.stdout.write(f"{reminded} reminders, {told} saved-search digests")
