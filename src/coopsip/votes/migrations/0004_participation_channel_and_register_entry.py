# A paper ballot handed out at the assembly is a participation too, of a register entry (with or without account).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_register_search_indexes"),
        ("votes", "0003_ballot_seal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="participation",
            name="channel",
            field=models.CharField(
                choices=[("online", "online"), ("paper", "paper ballot counted in the room")],
                default="online",
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AddField(
            model_name="participation",
            name="entry",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ballot_participations",
                to="members.registerentry",
                verbose_name="register entry",
            ),
        ),
        migrations.AlterField(
            model_name="participation",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ballot_participations",
                to=settings.AUTH_USER_MODEL,
                verbose_name="member",
            ),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.UniqueConstraint(fields=("ballot", "entry"), name="one_vote_per_register_entry"),
        ),
        migrations.AddConstraint(
            model_name="participation",
            constraint=models.CheckConstraint(
                condition=models.Q(("user__isnull", False), ("entry__isnull", False), _connector="OR"),
                name="participation_names_a_member",
            ),
        ),
    ]
