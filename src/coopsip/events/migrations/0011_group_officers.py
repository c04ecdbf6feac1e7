"""The moderators and secretaries of groups in an auth group (events.officers), for the header's link."""

from django.db import migrations

OFFICERS_GROUP = "group-officers"


def fill(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    CircleMember = apps.get_model("events", "CircleMember")
    group, _created = Group.objects.get_or_create(name=OFFICERS_GROUP)
    officers = CircleMember.objects.filter(role__in=("moderator", "secretary")).values_list("user_id", flat=True)
    group.user_set.add(*set(officers))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("events", "0010_texts_in_their_language_and_info_sessions_as_events"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
