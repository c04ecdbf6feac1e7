from typing import Any

from django.core.management.base import BaseCommand

from coopsip.demo.services import demo_totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff and board accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(demo_totp_code())
