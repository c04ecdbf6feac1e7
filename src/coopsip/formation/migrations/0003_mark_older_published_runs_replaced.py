"""Before one published proposal per edition is enforced: where several runs of an edition were published,
the latest published stays published and the earlier ones are marked replaced by it."""

from django.db import migrations


def mark_replaced(apps, schema_editor):
    FormationRun = apps.get_model("formation", "FormationRun")
    latest = {}
    for run in FormationRun.objects.filter(published_at__isnull=False).order_by("edition_id", "-published_at", "-pk"):
        if run.edition_id not in latest:
            latest[run.edition_id] = run
            continue
        keeper = latest[run.edition_id]
        FormationRun.objects.filter(pk=run.pk).update(replaced_at=keeper.published_at, replaced_by=keeper)


class Migration(migrations.Migration):

    dependencies = [
        ("formation", "0002_run_replaced_by_another"),
    ]

    operations = [
        migrations.RunPython(mark_replaced, migrations.RunPython.noop),
    ]
