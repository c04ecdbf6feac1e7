from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coopsip.demo.services import DEFAULT_PEOPLE, DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data (offices, municipalities, synthetic people, demo accounts, the editions of "
        "Smart in Progress, registrations for the current demo edition). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE)
        parser.add_argument("--force", action="store_true", help="Load even when DEBUG is off.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            # Demo accounts have a published password: never by accident in production.
            raise CommandError("DEBUG is off: this looks like production. Use --force to load the demo anyway.")
        counts = load_demo(people=options["people"])
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in DEMO_ACCOUNTS:
            note = " (then the code that `make demo-code` prints)" if account.role in {"staff", "board"} else ""
            self.stdout.write(f"  {account.role:<7} {account.email}{note}")
