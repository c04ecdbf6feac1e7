"""The register search on PostgreSQL: trigram indexes on names and email, a prefix index on member numbers.

The same lookups run on SQLite without them (core.search.person_search_indexes).
"""

from django.db import migrations

from coopsip.core.search import PersonFields, person_search_indexes

# As members.selectors.REGISTER_SEARCH when this migration was written (a migration must not follow later changes).
FIELDS = PersonFields(names=("first_name", "last_name"), emails=("email",), numbers=("member_number",))


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = person_search_indexes("members_registerentry", FIELDS)
