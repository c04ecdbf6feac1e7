from typing import Any

from django.core.management.base import BaseCommand

from coopsip.votes.services import seal_closed_ballots


class Command(BaseCommand):
    help = (
        "Seal every ballot whose voting has closed: its cast ballots rewritten in a random order without voter "
        "keys, so that nothing links a member to a ballot (from the scheduler every 15 minutes; counting seals "
        "too). Safe to run twice: a sealed ballot is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_closed_ballots()
        self.stdout.write(f"{len(sealed)} ballot(s) sealed.")
