"""Fill ``Event.seats_taken`` from the sign-ups that hold a seat, as ``services.counts_a_seat`` counts them.

A seat is held by a sign-up that is confirmed, attended or absent, and by a
visitor's pending sign-up whose kept seat has not been released yet
(``hold_until`` set; ``release_lapsed_holds`` clears it when it lapses).
"""

from django.db import migrations
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

SEATED = ("confirmed", "attended", "absent")


def fill(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    SignUp = apps.get_model("events", "SignUp")
    held = (
        SignUp.objects.filter(event=OuterRef("pk"))
        .filter(Q(status__in=SEATED) | Q(status="pending", hold_until__isnull=False))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Event.objects.update(seats_taken=Coalesce(Subquery(held), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0013_event_seats_taken_counter"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
