"""Who reaches the organiser pages.

Sara (staff) reaches every page. A visitor is sent to log in; Olivier
(outsider), Julien (non-member), Lotte (member) and Marc (board) get 403 on
an event they do not organise. Lotte reaches the pages of an event she
organises, and so does Ines, the secretary of the event's group; Lotte may not
create events, Ines creates her own group's meetings only (test_organise_group_meetings).
Unknown ids are 404, wrong methods 405.

The helpers at the top are shared by the other ``test_organise_*`` files.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, make_person
from coopsip.accounts.models import User
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services
from coopsip.events.models import Audience, Circle, CircleRole, Event, MinutesAttachment, SignUp
from coopsip.events.tests import factories

REFUSED = ["outsider", "nonmember", "member", "board"]


def event_input(**fields: Any) -> services.EventInput:
    """The shared test event (in person, members, in a week), titled in Dutch only: other languages fall back."""
    return factories.event_input(**{"titles": {"nl": "Werkontbijt"}, **fields})


def make_event(by: Any = None, **fields: Any) -> Event:
    return services.create_event(by=by, data=event_input(**fields))


def past_event(by: Any = None, **fields: Any) -> Event:
    """An event that started an hour ago."""
    return make_event(by, starts_at=timezone.now() - timedelta(hours=1), **fields)


def sign_up(event: Event, user: Any, *, now: datetime | None = None) -> SignUp:
    """Sign ``user`` up, as if before the start (so past events can have sign-ups too)."""
    before = min(timezone.now(), event.starts_at - timedelta(days=1))
    return services.sign_up(event_id=event.pk, user=user, now=now or before)


def person(email: str, first_name: str, last_name: str = "Test") -> User:
    return make_person(email, first_name=first_name, last_name=last_name)


def secretary_circle(secretary: User, *members: User) -> Circle:
    return services.create_circle(
        name="Werkgroep wonen",
        members=[(secretary, CircleRole.SECRETARY), *[(member, CircleRole.MEMBER) for member in members]],
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    """What an organiser types for an in-person members' event on 12 May 2031 from 10:00 to 12:00."""
    data: dict[str, Any] = {
        "title_nl": "Werkontbijt",
        "title_fr": "",
        "title_en": "Work breakfast",
        "description_nl": "",
        "description_fr": "",
        "description_en": "",
        "kind": "networking",
        "format": "work_breakfast",
        "sector": "",
        "theme": "",
        "edition": "",
        "language": "nl",
        "starts_at_0": "2031-05-12",
        "starts_at_1": "10:00",
        "ends_at_0": "2031-05-12",
        "ends_at_1": "12:00",
        "signup_deadline_0": "",
        "signup_deadline_1": "",
        "attendance": "in_person",
        "place": "",
        "address": "Rue Coenraets 72, 1060 Bruxelles",
        "video_url": "",
        "capacity": "",
        "audience": "members",
        "circle": "",
        "agenda": "",
    }
    data.update(overrides)
    return data


def brussels(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


# ---------------------------------------------------------------------------


@pytest.fixture
def event(staff: User) -> Event:
    return make_event(staff)


def event_urls(event: Event) -> list[str]:
    attachment = MinutesAttachment.objects.filter(event=event).first()
    urls = [
        reverse(f"events_organise:{name}", kwargs={"pk": event.pk})
        for name in ("edit", "cancel_event", "attendees", "export", "sheet", "minutes", "guests")
    ]
    signup = event.signups.first()
    if signup is not None:
        for name in ("cancel_signup", "undo_cancel_signup"):
            urls.append(reverse(f"events_organise:{name}", kwargs={"pk": event.pk, "signup_pk": signup.pk}))
    if attachment is not None:
        urls.append(
            reverse("events_organise:delete_attachment", kwargs={"pk": event.pk, "attachment_pk": attachment.pk})
        )
    return urls


@pytest.mark.parametrize("name", ["list", "create", "create_series", "circles"])
def test_a_visitor_is_sent_to_log_in(db: Any, name: str) -> None:
    url = reverse(f"events_organise:{name}")
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_a_visitor_is_sent_to_log_in_from_event_pages(event: Event) -> None:
    for url in event_urls(event):
        response = client_for(None).get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", REFUSED)
def test_others_may_not_reach_the_event_pages(personas: dict[str, User | None], member: User, role: str) -> None:
    event = make_event(personas["staff"])
    signup = sign_up(event, member)
    client = client_for(personas[role])
    for url in event_urls(event):
        post_only = url.endswith("/undo-cancel/")
        get_only = url.endswith((".csv", "/sign-in-sheet/"))
        assert client.get(url).status_code == (405 if post_only else 403), url
        posted = {f"mark_{signup.pk}": "excused", "confirm": "yes"}
        assert client.post(url, posted).status_code == (405 if get_only else 403), url
    assert SignUp.objects.get(pk=signup.pk).status == "confirmed"
    assert Event.objects.get(pk=event.pk).cancelled_at is None


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("name", ["create", "create_series", "circles"])
def test_only_staff_create_events_and_see_all_groups(personas: dict[str, User | None], role: str, name: str) -> None:
    client = client_for(personas[role])
    url = reverse(f"events_organise:{name}")
    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == (405 if name == "circles" else 403)
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", REFUSED)
def test_the_list_is_refused_to_who_organises_nothing(personas: dict[str, User | None], role: str) -> None:
    make_event(personas["staff"])
    assert client_for(personas[role]).get(reverse("events_organise:list")).status_code == 403


@pytest.mark.parametrize("role", REFUSED)
def test_attendance_tables_are_refused_to_others(personas: dict[str, User | None], role: str) -> None:
    staff = personas["staff"]
    circle = services.create_circle(name="Werkgroep", members=[(personas["member"], CircleRole.MEMBER)])
    series = services.create_series(
        by=staff, data=event_input(audience=Audience.CIRCLE, circle=circle), rule="FREQ=WEEKLY;COUNT=2"
    )
    client = client_for(personas[role])
    assert client.get(reverse("events_organise:circle_attendance", kwargs={"pk": circle.pk})).status_code == 403
    assert client.get(reverse("events_organise:series_attendance", kwargs={"pk": series.pk})).status_code == 403


@pytest.mark.parametrize("role", REFUSED)
def test_the_group_calendar_link_page_is_refused_to_others(personas: dict[str, User | None], role: str) -> None:
    # Lotte (member) is a plain member of the group: she may not see or renew its link either.
    circle = services.create_circle(name="Werkgroep", members=[(personas["member"], CircleRole.MEMBER)])
    token = circle.calendar_token
    client = client_for(personas[role])
    url = reverse("events_organise:circle_calendar_link", kwargs={"pk": circle.pk})
    get = client.get(url)
    assert get.status_code == 403
    assert token not in get.content.decode()
    assert client.post(url, {"confirm": "yes"}).status_code == 403
    assert Circle.objects.get(pk=circle.pk).calendar_token == token


def test_a_visitor_is_sent_to_log_in_from_the_group_calendar_link_page(db: Any) -> None:
    circle = services.create_circle(name="Werkgroep")
    url = reverse("events_organise:circle_calendar_link", kwargs={"pk": circle.pk})
    for response in (client_for(None).get(url), client_for(None).post(url, {"confirm": "yes"})):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Circle.objects.get(pk=circle.pk).calendar_token == circle.calendar_token


def test_staff_reach_every_page(staff: User, member: User) -> None:
    event = make_event(None)
    sign_up(event, member)
    client = client_for(staff)
    for url in event_urls(event):
        response = client.get(url)
        assert response.status_code in (200, 405), url
    for name in ("list", "create", "create_series", "circles"):
        assert client.get(reverse(f"events_organise:{name}")).status_code == 200, name


def test_the_organiser_reaches_her_event_but_may_not_create(member: User, nonmember: User) -> None:
    event = make_event(member, audience=Audience.PUBLIC)
    sign_up(event, nonmember)
    client = client_for(member)
    for url in event_urls(event):
        assert client.get(url).status_code in (200, 405), url
    listed = client.get(reverse("events_organise:list"))
    assert listed.status_code == 200
    assert "Werkontbijt" in listed.content.decode()
    assert "New event" not in listed.content.decode()
    assert client.get(reverse("events_organise:create")).status_code == 403
    assert client.get(reverse("events_organise:create_series")).status_code == 403


def test_the_secretary_of_the_group_reaches_its_meetings(staff: User, member: User) -> None:
    ines = person("ines@example.org", "Ines")
    circle = secretary_circle(ines, member)
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=circle)
    other = make_event(staff)
    client = client_for(ines)
    for url in event_urls(meeting):
        assert client.get(url).status_code in (200, 405), url
    assert client.get(reverse("events_organise:edit", kwargs={"pk": other.pk})).status_code == 403
    assert client.get(reverse("events_organise:circle_attendance", kwargs={"pk": circle.pk})).status_code == 200
    assert client.get(reverse("events_organise:circle_calendar_link", kwargs={"pk": circle.pk})).status_code == 200
    assert client.get(reverse("events_organise:circles")).status_code == 403
    # She creates her group's meetings (test_organise_group_meetings), not other events.
    assert client.get(reverse("events_organise:create")).status_code == 200


def test_a_plain_member_of_the_group_does_not_organise_it(staff: User, member: User) -> None:
    ines = person("ines@example.org", "Ines")
    circle = secretary_circle(ines, member)
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=circle)
    client = client_for(member)
    assert client.get(reverse("events_organise:edit", kwargs={"pk": meeting.pk})).status_code == 403
    assert client.get(reverse("events_organise:circle_attendance", kwargs={"pk": circle.pk})).status_code == 403


def test_unknown_ids_are_404(staff: User, event: Event) -> None:
    client = client_for(staff)
    for name in ("edit", "attendees", "export", "sheet", "minutes", "guests", "cancel_event"):
        assert client.get(reverse(f"events_organise:{name}", kwargs={"pk": 999999})).status_code == 404, name
    assert client.get(reverse("events_organise:series_attendance", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("events_organise:circle_attendance", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("events_organise:circle_calendar_link", kwargs={"pk": 999999})).status_code == 404
    # A sign-up or an attachment of another event is not found through this one.
    other = make_event(staff, audience=Audience.PUBLIC)
    signup = sign_up(other, make_person("x@example.org"))
    for name in ("cancel_signup", "undo_cancel_signup"):
        url = reverse(f"events_organise:{name}", kwargs={"pk": event.pk, "signup_pk": signup.pk})
        assert client.get(url).status_code == (405 if name == "undo_cancel_signup" else 404), name
        assert client.post(url, {"confirm": "yes"}).status_code == 404, name
    assert SignUp.objects.get(pk=signup.pk).status == "confirmed"


def test_it_rejects_wrong_methods(staff: User, member: User, event: Event) -> None:
    client = client_for(staff)
    signup = sign_up(event, member)
    post_only = [
        reverse("events_organise:undo_cancel_signup", kwargs={"pk": event.pk, "signup_pk": signup.pk}),
        reverse("events_organise:delete_attachment", kwargs={"pk": event.pk, "attachment_pk": 1}),
    ]
    for url in post_only:
        assert client.get(url).status_code == 405, url
    read_only = [
        reverse("events_organise:list"),
        reverse("events_organise:export", kwargs={"pk": event.pk}),
        reverse("events_organise:sheet", kwargs={"pk": event.pk}),
        reverse("events_organise:circles"),
    ]
    for url in read_only:
        assert client.post(url).status_code == 405, url
    for url in (
        reverse("events_organise:cancel_signup", kwargs={"pk": event.pk, "signup_pk": signup.pk}),
        reverse("events_organise:circle_calendar_link", kwargs={"pk": services.create_circle(name="G").pk}),
    ):
        assert client.put(url).status_code == 405, url
    for name in ("edit", "attendees", "minutes", "guests", "cancel_event"):
        assert client.put(reverse(f"events_organise:{name}", kwargs={"pk": event.pk})).status_code == 405, name
    assert client.delete(reverse("events_organise:create")).status_code == 405
    assert SignUp.objects.get(pk=signup.pk).status == "confirmed"


def test_the_team_area_links_to_the_events(staff: User) -> None:
    response = client_for(staff).get(reverse("core:staff"))
    assert reverse("events_organise:list") in response.content.decode()
