"""Line breaks and other control characters in titles, addresses and names.

Seen in the review: a newline in an event's title or address made its iCal
feed answer 500, and with it every personal, group and series feed holding
the event. Decision: on input, every service puts single-line texts on one
line without a word (line breaks and tabs become a space, other control
characters go); the admin's place form, which has no service, refuses them
with a message. On output, the calendars write whatever is stored safely,
and one event that still cannot be written is left out, not the feed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import ical, services
from coopsip.events.models import (
    Attendance,
    Audience,
    Circle,
    Event,
    MinutesAttachment,
    Place,
    PlaceKind,
    Series,
    SignUp,
)
from coopsip.events.tests.test_organise_access import form_data
from coopsip.events.tests.test_public_pages import make_circle, make_event
from coopsip.events.text import multi_line, single_line

pytestmark = pytest.mark.django_db

BAD = "Werk\r\nontbijt\tbij de\x07 KOP\x85 \u2028"


def parse(response: Any) -> Calendar:
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content)


def summaries(calendar: Calendar) -> list[str]:
    return sorted(str(component["SUMMARY"]) for component in calendar.walk("VEVENT"))


def test_single_line_puts_a_text_on_one_line() -> None:
    assert single_line(BAD) == "Werk ontbijt bij de KOP"
    assert single_line("  Rue Coenraets 72,\n1060 Bruxelles ") == "Rue Coenraets 72, 1060 Bruxelles"
    assert single_line("Café « Chez Zoë » — 10 €") == "Café « Chez Zoë » — 10 €"
    assert multi_line("Een\r\ntwee\rdrie\x00\x1b\tvier") == "Een\ntwee\ndrie\tvier"


# --- Rows saved before (or by a script): the feeds still answer ----------------------------------------


def bad_rows(member: User) -> tuple[Circle, Event, Event]:
    """A group with a good meeting and one whose title, address and description were saved raw."""
    circle = make_circle(member, name="Werkgroep\nwonen")
    Circle.objects.filter(pk=circle.pk).update(name="Werkgroep\nwonen")
    good = make_event(title="Good meeting", audience=Audience.CIRCLE, circle=circle)
    bad = make_event(title="Bad meeting", audience=Audience.CIRCLE, circle=circle)
    Event.objects.filter(pk=bad.pk).update(
        title_en="Bad\nmeeting\x01",
        title_nl="Bad\r\nmeeting",
        address="Street 1\n1000 Brussels\x0b",
        description_en="First line\nsecond line\x02",
    )
    return circle, good, bad


def test_a_newline_saved_in_a_title_or_address_never_takes_a_feed_down(member: User) -> None:
    circle, _good, bad = bad_rows(member)
    client = client_for(member)
    feed = services.calendar_feed_of(user=member)
    calendars = {
        "personal": parse(client.get(f"/en/events/calendar/{feed.token}.ics")),
        "group": parse(client.get(f"/en/events/groups/{circle.calendar_token}/calendar.ics")),
        "event": parse(client.get(f"/en/events/{bad.pk}/calendar.ics")),
    }
    for name, calendar in calendars.items():
        wanted = ["Bad meeting"] if name == "event" else ["Bad meeting", "Good meeting"]
        assert summaries(calendar) == wanted, name
        raw = calendar.to_ical()
        assert not any(0 < byte < 32 and byte not in (9, 10, 13) for byte in raw), name
    [component] = [c for c in calendars["personal"].walk("VEVENT") if str(c["SUMMARY"]) == "Bad meeting"]
    assert str(component["LOCATION"]) == "Street 1 1000 Brussels"
    assert str(component["DESCRIPTION"]).startswith("First line\nsecond line")
    assert str(calendars["group"]["NAME"]) == "Werkgroep wonen"


def test_a_newline_saved_in_a_series_title_never_takes_its_feed_down(db: Any) -> None:
    starts_at = timezone.now() + timedelta(days=3)
    series = services.create_series(
        by=None,
        data=services.EventInput(
            titles={"en": "Walk"},
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            address="Bois de la Cambre",
            audience=Audience.PUBLIC,
        ),
        rule="FREQ=WEEKLY;COUNT=2",
    )
    Series.objects.filter(pk=series.pk).update(title_en="Walk\nin the woods")
    Event.objects.filter(series=series).update(title_en="Walk\nin the woods")
    calendar = parse(client_for(None).get(f"/en/events/series/{series.pk}/calendar.ics"))
    assert str(calendar["NAME"]) == "Walk in the woods"
    assert summaries(calendar) == ["Walk in the woods", "Walk in the woods"]


def test_a_place_saved_with_a_newline_never_takes_a_feed_down(member: User) -> None:
    place = Place.objects.create(name="De KOP", kind=PlaceKind.SHARED_SPACE, address="Rue X 1")
    Place.objects.filter(pk=place.pk).update(name="De\nKOP", address="Rue X 1\r\n1000 Brussels")
    event = make_event(title="At the KOP", place=place, audience=Audience.PUBLIC)
    services.sign_up(event_id=event.pk, user=member)
    feed = services.calendar_feed_of(user=member)
    [component] = parse(client_for(None).get(f"/en/events/calendar/{feed.token}.ics")).walk("VEVENT")
    assert str(component["LOCATION"]) == "De KOP, Rue X 1 1000 Brussels"


def test_one_event_that_cannot_be_written_is_left_out_and_the_feed_answers(
    member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _circle, _good, bad = bad_rows(member)
    real = ical._component

    def broken(event: Event, **kwargs: Any) -> Any:
        if event.pk == bad.pk:
            raise ValueError("cannot be written")
        return real(event, **kwargs)

    monkeypatch.setattr(ical, "_component", broken)
    feed = services.calendar_feed_of(user=member)
    calendar = parse(client_for(None).get(f"/en/events/calendar/{feed.token}.ics"))
    assert summaries(calendar) == ["Good meeting"]


def test_the_confirmation_email_of_an_event_saved_with_a_newline_still_goes_out(member: User, on_commit: Any) -> None:
    event = make_event(title="Breakfast", audience=Audience.PUBLIC)
    Event.objects.filter(pk=event.pk).update(title_en="Break\r\nfast", title_nl="Break\r\nfast")
    member.preferred_language = "en"
    member.save()
    mail.outbox.clear()
    with on_commit():
        services.sign_up(event_id=event.pk, user=member)
    [message] = mail.outbox
    assert message.subject == "You have a seat: Break fast"
    [(_name, attachment, _type)] = message.attachments
    [component] = Calendar.from_ical(attachment).walk("VEVENT")
    assert str(component["SUMMARY"]) == "Break fast"


# --- On input: one line, silently ---------------------------------------------------------------------


def test_the_event_form_puts_title_and_address_on_one_line(staff: User) -> None:
    data = form_data(title_nl="Werk\r\nontbijt", title_en="Work\tbreakfast\x07", address="Rue Coenraets 72\n1060")
    data["sector"] = "graphic_design"
    response = client_for(staff).post("/en/events/organise/new/", data)
    assert response.status_code == 303
    event = Event.objects.get()
    assert (event.title_nl, event.title_en) == ("Werk ontbijt", "Work breakfast")
    assert (event.address, event.sector) == ("Rue Coenraets 72 1060", "graphic_design")
    # The description keeps its lines: it is Markdown.
    services.update_event(
        by=staff,
        event=event,
        data=services.EventInput(
            titles={"nl": "A\nB"},
            descriptions={"nl": "Line one\nLine two"},
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            address="X",
            attendance=Attendance.IN_PERSON,
        ),
    )
    event.refresh_from_db()
    assert (event.title_nl, event.description_nl) == ("A B", "Line one\nLine two")


def test_names_of_visitors_guests_groups_and_series_are_put_on_one_line(staff: User) -> None:
    event = make_event(title="Open", audience=Audience.PUBLIC)
    visitor = services.sign_up(event_id=event.pk, name="Ada\nLovelace", email="ada@example.org")
    guest = services.invite_guest(
        by=staff, event=event, name="Eva\r\nExpert", email="eva@example.org", language="nl", role="expert\t"
    )
    circle = services.create_circle(name="Fair\nprices")
    starts_at = timezone.now() + timedelta(days=3)
    series = services.create_series(
        by=staff,
        data=services.EventInput(
            titles={"en": "Walk\nin the woods"},
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            address="X",
        ),
        rule="FREQ=WEEKLY;COUNT=1",
    )
    assert SignUp.objects.get(pk=visitor.pk).name == "Ada Lovelace"
    assert (guest.name, guest.guest_role) == ("Eva Expert", "expert")
    assert Circle.objects.get(pk=circle.pk).name == "Fair prices"
    assert Series.objects.get(pk=series.pk).title_en == "Walk in the woods"


def test_the_admin_refuses_a_place_name_or_address_with_a_line_break(db: Any) -> None:
    place = Place(name="De\nKOP", kind=PlaceKind.SHARED_SPACE, address="Rue X 1\t2", access_notes="Code\x001234")
    with pytest.raises(ValidationError) as refused:
        place.full_clean()
    # Address and access notes exist per language: the text typed goes to the reader's (English) field too.
    assert set(refused.value.message_dict) == {"name", "address", "access_notes", "address_en", "access_notes_en"}
    assert refused.value.message_dict["name"] == [
        "Write this on one line, without line breaks, tabs or other invisible control characters."
    ]


def test_an_attachment_name_saved_with_a_line_break_still_downloads(staff: User, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    event = make_event(title="Meeting", audience=Audience.PUBLIC)
    upload = SimpleUploadedFile("Verslag.txt", b"Notes", content_type="text/plain")
    attachment = services.add_attachment(by=staff, event=event, upload=upload)
    MinutesAttachment.objects.filter(pk=attachment.pk).update(name="Verslag\r\njuni.txt")
    response = client_for(staff).get(f"/en/events/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Verslag juni.txt"'
    # New uploads are named on one line to begin with.
    upload = SimpleUploadedFile("Verslag\tjuli.txt", b"Notes", content_type="text/plain")
    assert services.add_attachment(by=staff, event=event, upload=upload).name == "Verslag juli.txt"
