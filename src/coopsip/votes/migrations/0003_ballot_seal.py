# The seal at the close: a ballot's contents rewritten in a random order, without voter keys.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("votes", "0002_ballot_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="sealed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sealed"),
        ),
        migrations.AddField(
            model_name="castballot",
            name="sealed",
            field=models.BooleanField(default=False, verbose_name="sealed"),
        ),
        migrations.RemoveConstraint(
            model_name="castballot",
            name="online_ballot_has_a_voter_key",
        ),
        migrations.AddConstraint(
            model_name="castballot",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel", "paper"), ("voter_key__isnull", False), ("sealed", True), _connector="OR"),
                name="online_ballot_has_a_voter_key_until_sealed",
            ),
        ),
    ]
