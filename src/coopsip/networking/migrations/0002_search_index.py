"""A GIN index on the tsvector of offers and needs, on PostgreSQL only (SQLite searches the stems column)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS listing_search_vector_gin ON networking_listing USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS listing_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("networking", "0001_profiles_listings_contacts")]

    operations = [migrations.RunPython(create_index, drop_index)]
