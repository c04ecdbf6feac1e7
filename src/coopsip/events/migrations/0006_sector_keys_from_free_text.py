"""The sector was free text (in Dutch in the demo): store the key of the matching choice instead."""

from django.db import migrations

# Words seen in the three languages, lower case, for each key; anything else becomes "other".
KEYS = {
    "graphic_design": ("grafisch ontwerp", "graphisme", "graphic design", "design graphique"),
    "music": ("muziek", "musique", "music"),
    "performing_arts": ("podiumkunsten", "arts de la scène", "performing arts"),
    "visual_arts": ("beeldende kunst", "arts plastiques", "visual arts"),
    "audiovisual": ("audiovisueel", "film", "audiovisuel", "audiovisual"),
    "photography": ("fotografie", "photographie", "photography"),
    "writing": ("schrijven", "écriture", "writing"),
    "digital": ("it", "digitaal", "numérique", "informatique", "digital"),
    "education": ("opleiding", "formation", "education", "onderwijs"),
    "crafts": ("ambacht", "artisanat", "crafts"),
    "communication": ("communicatie", "communication"),
}


def to_keys(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    known = {word: key for key, words in KEYS.items() for word in words}
    valid = set(KEYS) | {"other"}
    for event in Event.objects.exclude(sector=""):
        if event.sector in valid:
            continue
        event.sector = known.get(event.sector.strip().lower(), "other")
        event.save(update_fields=["sector"])


class Migration(migrations.Migration):
    dependencies = [("events", "0005_sector_as_choices")]

    operations = [migrations.RunPython(to_keys, migrations.RunPython.noop)]
