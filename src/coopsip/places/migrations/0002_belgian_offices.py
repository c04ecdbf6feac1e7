"""The eight Belgian offices named in the seeds, with the centre of their city."""

from decimal import Decimal

from django.db import migrations

OFFICES = [
    # slug, Dutch, French, English, latitude, longitude
    ("antwerpen", "Antwerpen", "Anvers", "Antwerp", "51.21940", "4.40250"),
    ("brussel", "Brussel", "Bruxelles", "Brussels", "50.84670", "4.35250"),
    ("gent", "Gent", "Gand", "Ghent", "51.05430", "3.71740"),
    ("luik", "Luik", "Liège", "Liège", "50.63260", "5.57970"),
    ("bergen", "Bergen", "Mons", "Mons", "50.45420", "3.95670"),
    ("namen", "Namen", "Namur", "Namur", "50.46740", "4.87200"),
    ("charleroi", "Charleroi", "Charleroi", "Charleroi", "50.41080", "4.44460"),
    ("louvain-la-neuve", "Louvain-la-Neuve", "Louvain-la-Neuve", "Louvain-la-Neuve", "50.66810", "4.61180"),
]


def add_offices(apps, schema_editor):
    Office = apps.get_model("places", "Office")
    for slug, nl, fr, en, lat, lon in OFFICES:
        Office.objects.update_or_create(
            slug=slug,
            defaults={
                "name": nl,
                "name_nl": nl,
                "name_fr": fr,
                "name_en": en,
                "country": "BE",
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            },
        )


def remove_offices(apps, schema_editor):
    apps.get_model("places", "Office").objects.filter(slug__in=[o[0] for o in OFFICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(add_offices, remove_offices)]
