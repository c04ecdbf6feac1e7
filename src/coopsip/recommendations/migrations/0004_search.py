"""Search over recommendations (core.search.matching_texts): a stems column on every database and, on
PostgreSQL, a tsvector in the text's language with a GIN index; existing recommendations are indexed."""

import django.contrib.postgres.search
from django.db import migrations, models


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS recommendation_search_vector_gin "
            "ON recommendations_recommendation USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS recommendation_search_vector_gin")


def index_existing(apps, schema_editor):
    from coopsip.recommendations.search import index_recommendations

    Recommendation = apps.get_model("recommendations", "Recommendation")
    index_recommendations(Recommendation.objects.using(schema_editor.connection.alias).all())


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0003_consent_round_version_restrict'),
    ]

    operations = [
        migrations.AddField(
            model_name='recommendation',
            name='search_stems',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AddField(
            model_name='recommendation',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
