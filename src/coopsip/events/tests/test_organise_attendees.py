"""The attendee list: who signed up, who waits in which order, who came; the CSV and the sign-in sheet."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services
from coopsip.events.models import Audience, Event, SignUp
from coopsip.events.tests.test_organise_access import make_event, past_event, person, secretary_circle, sign_up


def url(name: str, event: Event, **kwargs: Any) -> str:
    return reverse(f"events_organise:{name}", kwargs={"pk": event.pk, **kwargs})


def status(signup: SignUp) -> str:
    return SignUp.objects.get(pk=signup.pk).status


def test_the_list_shows_seats_guests_and_the_waiting_line(staff: User, member: User, nonmember: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=2)
    sign_up(event, member)
    services.invite_guest(
        by=staff, event=event, name="Eva Expert", email="eva@example.org", language="nl", role="expert"
    )
    first = person("first@example.org", "Wachtende")
    sign_up(event, first, now=timezone.now() - timedelta(hours=2))
    sign_up(event, nonmember, now=timezone.now() - timedelta(hours=1))
    response = client_for(staff).get(url("attendees", event))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 of 2 seats taken." in page
    assert "Eva Expert" in page and "guest: expert" in page
    assert page.index("Wachtende") < page.index("Julien")
    assert "number 1 in line" in page and "number 2 in line" in page
    assert "On the waiting list" in page
    assert 'scope="col"' in page and 'scope="row"' in page
    # Before the start there is nothing to mark; each sign-up can be cancelled after a confirmation page.
    assert 'name="mark_' not in page
    assert "You can record who came once the meeting has started." in page
    assert page.count("Cancel the sign-up…") == 4


def test_attendance_is_refused_before_the_start(staff: User, member: User) -> None:
    event = make_event(staff)
    signup = sign_up(event, member)
    response = client_for(staff).post(url("attendees", event), {f"mark_{signup.pk}": "attended"})
    assert response.status_code == 400
    assert "Attendance can be recorded once the meeting has started." in response.content.decode()
    assert status(signup) == "confirmed"


def test_the_organiser_records_who_came(member: User, nonmember: User, outsider: User) -> None:
    event = past_event(member, audience=Audience.PUBLIC)
    came = sign_up(event, nonmember)
    missed = sign_up(event, outsider)
    client = client_for(member)
    page = client.get(url("attendees", event)).content.decode()
    assert f'name="mark_{came.pk}" value="attended"' in page
    assert "checked" not in page  # nothing recorded yet: nothing marked
    response = client.post(url("attendees", event), {f"mark_{came.pk}": "attended"})
    assert response.status_code == 303
    assert response["Location"] == url("attendees", event)
    assert (status(came), status(missed)) == ("attended", "absent")
    page = client.get(response["Location"]).content.decode()
    assert "Attendance is saved: 1 person came." in page
    assert f'name="mark_{came.pk}" value="attended" id="id_mark_{came.pk}_0" checked' in page
    assert f'name="mark_{missed.pk}" value="absent" id="id_mark_{missed.pk}_1" checked' in page


def test_the_secretary_of_the_group_records_who_came(staff: User, member: User, nonmember: User) -> None:
    ines = person("ines@example.org", "Ines")
    circle = secretary_circle(ines, member, nonmember)
    meeting = past_event(staff, audience=Audience.CIRCLE, circle=circle)
    lotte = meeting.signups.get(user=member)
    julien = meeting.signups.get(user=nonmember)
    response = client_for(ines).post(url("attendees", meeting), {f"mark_{lotte.pk}": "attended"})
    assert response.status_code == 303
    assert (status(lotte), status(julien)) == ("attended", "absent")
    assert SignUp.objects.get(pk=julien.pk).attendance_recorded_by == ines


def test_someone_not_on_the_list_cannot_be_marked(staff: User, member: User, nonmember: User) -> None:
    event = past_event(staff)
    signup = sign_up(event, member)
    other = sign_up(make_event(staff, audience=Audience.PUBLIC), nonmember)
    with pytest.raises(services.EventInvalid):
        services.record_attendance(by=staff, event=event, marks={signup.pk: "attended", other.pk: "attended"})
    # Through the page, a mark for someone else's sign-up is not even read.
    response = client_for(staff).post(url("attendees", event), {f"mark_{other.pk}": "attended"})
    assert response.status_code == 303
    assert (status(signup), status(other)) == ("absent", "confirmed")


def test_a_mark_that_is_not_came_absent_or_excused_is_refused(staff: User, member: User) -> None:
    event = past_event(staff)
    signup = sign_up(event, member)
    response = client_for(staff).post(url("attendees", event), {f"mark_{signup.pk}": "cancelled"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert status(signup) == "confirmed"


def test_the_organiser_cancels_a_sign_up_and_the_next_one_gets_the_seat(
    staff: User, member: User, nonmember: User
) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=1)
    seated = sign_up(event, member)
    waiting = sign_up(event, nonmember)
    client = client_for(staff)
    page = client.get(url("attendees", event)).content.decode()
    cancel = url("cancel_signup", event, signup_pk=seated.pk)
    assert f'href="{cancel}"' in page
    confirmation = client.get(cancel)
    assert confirmation.status_code == 200
    text = confirmation.content.decode()
    assert "Cancel the sign-up of Lotte Peeters?" in text
    assert "It goes to the first person on the waiting list, Julien" in text
    assert (status(seated), status(waiting)) == ("confirmed", "waiting")
    response = client.post(cancel, {"confirm": "yes"})
    assert response.status_code == 303
    assert response["Location"] == url("attendees", event)
    assert (status(seated), status(waiting)) == ("cancelled", "confirmed")
    assert "The sign-up of Lotte Peeters is cancelled." in client.get(response["Location"]).content.decode()


def _csv(client: Any, event: Event) -> tuple[Any, bytes, list[list[str]]]:
    response = client.get(url("export", event))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return response, content, list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_csv_opens_in_excel(staff: User, member: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=30))
    signup = sign_up(event, member)
    services.sign_up(event_id=event.pk, name='=HYPERLINK("http://x")', email="evil@example.org")
    services.invite_guest(
        by=staff, event=event, name="Eva Expert", email="eva@example.org", language="nl", role="-expert"
    )
    response, content, rows = _csv(client_for(staff), event)
    day = event.starts_at.astimezone(BRUSSELS).date()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="attendees-{day:%Y-%m-%d}-{event.pk}.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response.streaming
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert rows[0] == ["name", "email", "status", "guest_role", "signed_up_at"]
    signed_up_at = signup.created_at.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M")
    assert rows[1] == ["Lotte Peeters", "lotte@example.org", "confirmed", "", signed_up_at]
    assert rows[2][0] == '\'=HYPERLINK("http://x")'
    assert rows[3][0] == "Eva Expert" and rows[3][3] == "'-expert"


def test_the_sign_in_sheet_lists_seated_people_only(staff: User, member: User, nonmember: User, outsider: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=2)
    sign_up(event, member)
    gone = sign_up(event, outsider)
    services.cancel_sign_up(signup_id=gone.pk, by=staff)
    sign_up(event, person("zoe@example.org", "Zoë", "Seated"))
    sign_up(event, nonmember)  # waiting: the seats are taken
    response = client_for(staff).get(url("sheet", event))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lotte Peeters" in page and "Zoë Seated" in page
    assert "Julien" not in page
    assert "Olivier" not in page
    assert "events/sheet.css" in page
    assert page.count(">blank line<") == 5
    assert event.where in page
