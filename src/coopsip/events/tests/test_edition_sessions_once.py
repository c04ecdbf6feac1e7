"""An edition's info session is shown once on its page (issue 16, point 12); agendas in the reader's language.

The edition's info sessions are events of the events engine (``PublicSession`` was folded into it): a coming
one is listed once among the coming events, with its sign-up; past ones stay listed as past info sessions.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import override

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.events import services
from coopsip.events.models import Audience, Event, EventKind
from coopsip.events.tests.factories import public_online_event
from coopsip.home.tests.test_index import running_edition  # noqa: F401 (fixture)


def test_a_coming_info_session_is_listed_once_with_its_sign_up(
    running_edition: Edition,  # noqa: F811
) -> None:
    session = Event.objects.get(edition=running_edition, kind=EventKind.INFO_SESSION)
    page = client_for(None).get(f"/en/editions/{running_edition.slug}/").content.decode()
    box, lists = page.split('id="next-title"', 1)[1].split("</section>", 1)  # the "next public date" box
    # Shown once: in the "next public date" box, with its sign-up; not again under "Coming events".
    assert ">Info session<" in box and "Sign up" in box
    assert ">Info session<" not in lists and "Past info sessions" not in lists
    # The "next public date" box leads to the session's page, where visitors sign up.
    assert page.count(f'href="/en/events/{session.pk}/"') == 2  # its title and its "Sign up"


def test_other_coming_events_of_the_edition_stay_under_coming_events(
    running_edition: Edition,  # noqa: F811
    staff: User,
) -> None:
    public_online_event(
        staff,
        titles={"en": "Theme workshop"},
        edition=running_edition,
        starts_at=timezone.now() + timedelta(days=60),
        ends_at=timezone.now() + timedelta(days=60, hours=2),
        audience=Audience.PUBLIC,
    )
    page = client_for(None).get(f"/en/editions/{running_edition.slug}/").content.decode()
    lists = page.split('id="next-title"', 1)[1].split("</section>", 1)[1]
    assert "Coming events" in lists and "Theme workshop" in lists and ">Info session<" not in lists


def test_a_past_info_session_stays_listed(running_edition: Edition, staff: User) -> None:  # noqa: F811
    public_online_event(
        staff,
        titles={"en": "Last year's info session"},
        kind=EventKind.INFO_SESSION,
        edition=running_edition,
        starts_at=timezone.now() - timedelta(days=300),
        ends_at=timezone.now() - timedelta(days=300, hours=-2),
        audience=Audience.PUBLIC,
    )
    page = client_for(None).get(f"/en/editions/{running_edition.slug}/").content.decode()
    assert "Past info sessions" in page
    assert ">Info session<" in page and "Last year&#x27;s info session" in page
    # The video link is for people who signed up: never on the edition's page.
    assert "meet.example.org" not in page


def test_the_editions_calendar_holds_its_info_session_without_the_video_link(
    running_edition: Edition,  # noqa: F811
) -> None:
    feed = client_for(None).get(f"/en/editions/{running_edition.slug}/calendar.ics").content.decode()
    assert "SUMMARY:Info session" in feed
    assert "meet.example.org" not in feed
    assert "/en/events/" in feed


def test_an_agenda_in_the_meetings_language_says_so_to_readers_of_another(db: object) -> None:
    event = public_online_event(None, language="nl", agenda="1. Nieuws van iedereen")
    assert event.agenda_nl == "1. Nieuws van iedereen" and not event.agenda_en
    english = client_for(None).get(f"/en/events/{event.pk}/").content.decode()
    assert "This text is not available in your language." in english
    assert '<div class="prose" lang="nl">' in english
    dutch = client_for(None).get(f"/nl/events/{event.pk}/").content.decode()
    assert "Nieuws van iedereen" in dutch and 'lang="nl"' not in dutch.split("<main", 1)[1]


def test_an_agenda_written_in_each_language_is_read_in_the_readers(db: object) -> None:
    event = public_online_event(None, agenda="")
    Event.objects.filter(pk=event.pk).update(
        agenda_nl="1. Nieuws", agenda_fr="1. Nouvelles", agenda_en="1. News", minutes_fr="Compte rendu"
    )
    for code, word in (("nl", "Nieuws"), ("fr", "Nouvelles"), ("en", "News")):
        page = client_for(None).get(f"/{code}/events/{event.pk}/").content.decode()
        assert f"1. {word}" in page or f"<li>{word}</li>" in page
        assert "fallback-note" not in page.split('id="agenda-title"', 1)[1].split("</section>", 1)[0]


def test_a_mixed_meetings_minutes_are_kept_in_the_language_of_the_page(db: object, staff: User) -> None:
    event = public_online_event(staff, language="")
    with override("fr"):
        services.save_minutes(by=staff, event=event, agenda="1. Accueil", minutes="Nous étions dix.")
    event.refresh_from_db()
    assert (event.agenda_fr, event.minutes_fr) == ("1. Accueil", "Nous étions dix.")
    assert not event.minutes_nl and not event.minutes_en
    with override("fr"):
        assert services.meeting_texts(event) == {"agenda": "1. Accueil", "minutes": "Nous étions dix."}
    with override("nl"):
        assert services.meeting_texts(event) == {"agenda": "", "minutes": ""}
