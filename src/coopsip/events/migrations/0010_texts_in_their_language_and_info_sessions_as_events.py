"""The agenda and minutes typed so far keep their language; the editions' public sessions become events.

An agenda or minutes was written in the meeting's spoken language (or Dutch when mixed): it becomes that
language's text, and readers of another see it with a note. Each public session of an edition
(``editions.PublicSession``, removed after this) becomes a public info session of the events engine,
with its sign-up, unless the engine already holds an info session of that edition at that start.
"""

from django.db import migrations


def texts_in_their_language(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.exclude(agenda="", minutes=""):
        code = event.language or "nl"
        for field in ("agenda", "minutes"):
            text = getattr(event, field)
            if text and not getattr(event, f"{field}_{code}"):
                setattr(event, f"{field}_{code}", text)
        event.save(update_fields=["agenda_nl", "agenda_fr", "agenda_en", "minutes_nl", "minutes_fr", "minutes_en"])


def info_sessions_as_events(apps, schema_editor):
    try:
        PublicSession = apps.get_model("editions", "PublicSession")
    except LookupError:  # a database made after the removal
        return
    Event = apps.get_model("events", "Event")
    for session in PublicSession.objects.all():
        if Event.objects.filter(
            edition_id=session.edition_id, kind="info_session", starts_at=session.starts_at
        ).exists():
            continue
        titled = [code for code in ("nl", "fr", "en") if getattr(session, f"title_{code}", "")]
        online, place = session.online_url, session.location
        Event.objects.create(
            **{f"title_{code}": getattr(session, f"title_{code}", "") or "" for code in ("nl", "fr", "en")},
            **{f"description_{code}": getattr(session, f"description_{code}", "") or "" for code in ("nl", "fr", "en")},
            title=session.title,
            description=session.description,
            kind="info_session",
            format="presentation",
            edition_id=session.edition_id,
            # Titled in one language only: the session is given in it.
            language=titled[0] if len(titled) == 1 else "",
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            attendance=("hybrid" if place else "online") if online else "in_person",
            video_url=online,
            # An in-person session needs an address: a session without one said where on its page only.
            address=place or ("" if online else "—"),
            audience="public",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_agenda_minutes_in_each_language_and_visits"),
        ("editions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(texts_in_their_language, migrations.RunPython.noop),
        migrations.RunPython(info_sessions_as_events, migrations.RunPython.noop),
    ]
