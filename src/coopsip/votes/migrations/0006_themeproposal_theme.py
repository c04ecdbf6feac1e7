# The theme an elected proposal became, so that a proposal elected twice is not made a theme twice.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0003_info_sessions_are_events"),
        ("votes", "0005_participation_register_entry_filled"),
    ]

    operations = [
        migrations.AddField(
            model_name="themeproposal",
            name="theme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="proposals",
                to="editions.theme",
                verbose_name="became the theme",
            ),
        ),
    ]
