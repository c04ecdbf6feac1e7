"""The register search on PostgreSQL, second version: a trigram index on the search column of 0004 (names and
email upper-cased, joined), a prefix index on the member number; the per-field trigram indexes of 0002 go.
Nothing happens on SQLite (core.search.person_text_indexes).
"""

from django.db import migrations

from coopsip.core.search import PersonFields, person_text_indexes

# As members.selectors.REGISTER_SEARCH when this migration was written (a migration must not follow later changes).
FIELDS = PersonFields(
    names=("first_name", "last_name"), emails=("email",), numbers=("member_number",), text="search_text"
)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_registerentry_search_text")]

    operations = person_text_indexes("members_registerentry", FIELDS)
