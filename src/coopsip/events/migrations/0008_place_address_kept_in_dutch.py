"""The address typed so far is kept as the Dutch (default) text: the other languages fall back to it."""

from django.db import migrations


def keep_address(apps, schema_editor):
    Place = apps.get_model("events", "Place")
    for place in Place.objects.all():
        place.address_nl = place.address_nl or place.address
        place.access_notes_nl = place.access_notes_nl or place.access_notes
        place.save(update_fields=["address_nl", "access_notes_nl"])


class Migration(migrations.Migration):
    dependencies = [("events", "0007_place_address_in_each_language")]

    operations = [migrations.RunPython(keep_address, migrations.RunPython.noop)]
