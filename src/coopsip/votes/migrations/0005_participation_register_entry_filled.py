# Online votes cast before 0004: their register entry, so that a paper ballot is refused to these members too.

from typing import Any

from django.db import migrations


def fill_entries(apps: Any, schema_editor: Any) -> None:
    Participation = apps.get_model("votes", "Participation")
    RegisterEntry = apps.get_model("members", "RegisterEntry")
    missing = Participation.objects.filter(entry__isnull=True, user__isnull=False)
    entries = dict(
        RegisterEntry.objects.filter(user_id__in=missing.values("user_id")).values_list("user_id", "pk")
    )
    for participation in missing.only("pk", "user_id"):
        entry_id = entries.get(participation.user_id)
        if entry_id is not None:
            participation.entry_id = entry_id
            participation.save(update_fields=["entry"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_register_search_indexes"),
        ("votes", "0004_participation_channel_and_register_entry"),
    ]

    operations = [migrations.RunPython(fill_entries, migrations.RunPython.noop)]
