from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coopsip.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data (offices, municipalities, ~300 synthetic people, demo accounts, the editions of "
        "Smart in Progress). Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_demo(people=options["people"])
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in DEMO_ACCOUNTS:
            note = (
                " (asks you to set up an authenticator app on first login)"
                if account.role in {"staff", "board"}
                else ""
            )
            self.stdout.write(f"  {account.role:<7} {account.email}{note}")
