import json
from typing import Any

from django.core.management.base import BaseCommand

from coopsip.api.schema import COMMITTED, build


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1/ to src/coopsip/api/openapi.json (committed; a test compares)."

    def handle(self, *args: Any, **options: Any) -> None:
        COMMITTED.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        self.stdout.write(str(COMMITTED))
