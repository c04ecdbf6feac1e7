"""The public pages of events: the list with its filters, an event's page, a series, the edition page, attachments.

Lotte is a member, Julien a non-member user, Olivier an outsider, Sara on the
Cooperative Life team, Marc on the board. "The working group" is a circle
whose only member is Lotte.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from conftest import client_for, make_person
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import (
    Attendance,
    Audience,
    Circle,
    CircleRole,
    Event,
    EventFormat,
    EventKind,
    MinutesAttachment,
    Place,
    PlaceKind,
    Sector,
    SignUp,
)
from coopsip.events.services import EventInput

pytestmark = pytest.mark.django_db

VIDEO = "https://meet.example.org/secret-room"
ADDRESS = "Kortrijksesteenweg 1, 9000 Gent"


def make_event(*, title: str = "Afterwork in Ghent", days: float = 7, by: User | None = None, **fields: Any) -> Event:
    """An event ``days`` from now, two hours long, at an address unless it is online."""
    starts_at = timezone.now() + timedelta(days=days)
    values: dict[str, Any] = {
        "titles": {"en": title},
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
    }
    if fields.get("attendance") != Attendance.ONLINE and "place" not in fields:
        values["address"] = ADDRESS
    return services.create_event(by=by, data=EventInput(**(values | fields)))


def make_circle(*people: User, name: str = "The working group") -> Circle:
    return services.create_circle(name=name, members=[(person, CircleRole.MEMBER) for person in people])


def event_url(event: Event, page: str = "") -> str:
    return f"/en/events/{event.pk}/{page}"


LIST_URL = "/en/events/"


# --- The list ---------------------------------------------------------------------------------------


def test_the_list_shows_coming_public_events_to_a_visitor(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=12, kind=EventKind.INFO_SESSION)
    make_event(title="Members' breakfast", audience=Audience.MEMBERS)
    make_event(title="Last month's picnic", days=-30, audience=Audience.PUBLIC)
    response = client_for(None).get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Afterwork in Ghent" in html
    assert f'href="/en/events/{event.pk}/"' in html
    assert "12 seats left" in html
    assert "Info session" in html
    assert ADDRESS in html
    assert "Times are in Brussels time." in html
    assert "Members&#x27; breakfast" not in html and "Members' breakfast" not in html
    assert "Last month" not in html


def test_the_list_shows_members_events_to_members_only(member: User, nonmember: User, outsider: User) -> None:
    make_event(title="Members' assembly", audience=Audience.MEMBERS)
    for person, shown in ((member, True), (nonmember, False), (outsider, False)):
        html = client_for(person).get(LIST_URL).content.decode()
        assert ("assembly" in html) is shown, person


def test_the_list_shows_a_group_meeting_to_the_group_only(member: User, nonmember: User, staff: User) -> None:
    circle = make_circle(member)
    make_event(title="Group meeting", audience=Audience.CIRCLE, circle=circle, kind=EventKind.GROUP_MEETING)
    assert "Group meeting" in client_for(member).get(LIST_URL).content.decode()
    assert "Group meeting" in client_for(staff).get(LIST_URL).content.decode()
    assert "Group meeting" not in client_for(nonmember).get(LIST_URL).content.decode()


def test_the_list_never_shows_the_video_link(member: User) -> None:
    make_event(audience=Audience.PUBLIC, attendance=Attendance.ONLINE, video_url=VIDEO)
    services.sign_up(event_id=Event.objects.get().pk, user=member)
    html = client_for(member).get(LIST_URL).content.decode()
    assert "Online" in html
    assert VIDEO not in html


def test_a_full_event_says_waiting_list_and_the_list_says_where_i_have_a_seat(member: User, nonmember: User) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1)
    services.sign_up(event_id=event.pk, user=nonmember)
    html = client_for(member).get(LIST_URL).content.decode()
    assert "Full — waiting list" in html
    assert "You have a seat." not in html
    assert "You have a seat." in client_for(nonmember).get(LIST_URL).content.decode()


def test_the_list_filters_by_kind_format_sector_place_and_attendance(db: Any) -> None:
    kop = Place.objects.create(name="KOP", kind=PlaceKind.SHARED_SPACE, address="Rue de la Loi 1, Bruxelles")
    make_event(title="Info about the cooperative", audience=Audience.PUBLIC, kind=EventKind.INFO_SESSION)
    make_event(
        title="Breakfast of musicians",
        audience=Audience.PUBLIC,
        format=EventFormat.WORK_BREAKFAST,
        sector=Sector.MUSIC,
        place=kop,
    )
    make_event(title="Online meet", audience=Audience.PUBLIC, attendance=Attendance.ONLINE, video_url=VIDEO)
    client = client_for(None)

    def titles(query: str) -> set[str]:
        html = client.get(f"{LIST_URL}?{query}").content.decode()
        return {title for title in ("Info about", "Breakfast of", "Online meet") if title in html}

    assert titles("kind=info_session") == {"Info about"}
    assert titles("format=work_breakfast") == {"Breakfast of"}
    assert titles("sector=music") == {"Breakfast of"}
    assert titles(f"place={kop.pk}") == {"Breakfast of"}
    assert titles("attendance=online") == {"Online meet"}
    assert titles("kind=nonsense") == {"Info about", "Breakfast of", "Online meet"}  # a bad value is ignored
    assert "No coming event matches these filters." in client.get(f"{LIST_URL}?sector=crafts").content.decode()


def test_the_list_filters_by_theme(db: Any) -> None:
    from coopsip.registrations.tests.test_register import make_open_edition

    edition = make_open_edition()
    theme = edition.themes.get(slug="wonen")
    make_event(title="Housing walk", audience=Audience.PUBLIC, theme=theme, edition=edition)
    make_event(title="Other walk", audience=Audience.PUBLIC)
    html = client_for(None).get(f"{LIST_URL}?theme={theme.pk}").content.decode()
    assert "Housing walk" in html and "Other walk" not in html
    # The themes of the current edition are offered, also those without events yet: the filter is never empty.
    assert ">Housing</option>" in html
    assert ">Care</option>" in html


def test_the_htmx_request_gets_the_results_only(db: Any) -> None:
    make_event(audience=Audience.PUBLIC)
    response = client_for(None).get(f"{LIST_URL}?kind=networking", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="results">')
    assert "Afterwork in Ghent" in html
    assert "<html" not in html and "<form" not in html
    assert "HX-Request" in response["Vary"]


def test_the_list_refuses_a_post(db: Any) -> None:
    assert client_for(None).post(LIST_URL).status_code == 405


# The page's frame (session, user, groups twice, the register entry, the two permission queries of the menus),
# the count and the page of events with their seat counts, my sign-ups on the page, the themes and places of
# the filters.
LIST_QUERIES = 12


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_takes_the_same_number_of_queries_for_few_or_many_events(
    member: User, count: int, django_assert_max_num_queries: Any
) -> None:
    kop = Place.objects.create(name="KOP", kind=PlaceKind.SHARED_SPACE, address="Rue de la Loi 1, Bruxelles")
    for number in range(count):
        event = make_event(title=f"Event {number}", audience=Audience.PUBLIC, capacity=5, place=kop)
        services.sign_up(event_id=event.pk, user=member)
    client = client_for(member)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert response.content.decode().count("You have a seat.") == count


# --- An event's page --------------------------------------------------------------------------------


def test_a_visitor_sees_a_public_event_with_its_agenda_and_a_sign_up_form(db: Any) -> None:
    event = make_event(
        audience=Audience.PUBLIC,
        capacity=20,
        attendance=Attendance.HYBRID,
        video_url=VIDEO,
        descriptions={"en": "Meet *other* freelancers."},
        agenda="1. Welcome\n2. **Round** of introductions",
    )
    response = client_for(None).get(event_url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<em>other</em>" in html
    assert "<strong>Round</strong>" in html
    assert ADDRESS in html
    assert "20 seats left" in html
    assert 'name="email"' in html and 'name="name"' in html
    assert "Sign up for Afterwork in Ghent" in html
    assert f'href="/en/events/{event.pk}/calendar.ics"' in html
    assert VIDEO not in html
    assert "/organise/" not in html


def test_the_title_falls_back_to_another_language_with_a_note(db: Any) -> None:
    # Created in Dutch: services._apply writes the untranslated title through modeltranslation into the
    # active language's column (reported), which would fill the English title.
    with translation.override("nl"):
        event = make_event(audience=Audience.PUBLIC, titles={"nl": "Ontbijt in Gent"})
    html = client_for(None).get(event_url(event)).content.decode()
    assert '<span lang="nl">Ontbijt in Gent</span>' in html


def test_the_title_is_shown_in_the_active_language(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC, titles={"nl": "Ontbijt in Gent", "fr": "Petit-déjeuner à Gand"})
    html = client_for(None).get(f"/fr/events/{event.pk}/").content.decode()
    assert "Petit-déjeuner à Gand" in html


def test_a_members_event_tells_a_visitor_to_log_in(db: Any) -> None:
    event = make_event(title="Members' breakfast", audience=Audience.MEMBERS)
    response = client_for(None).get(event_url(event))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Log in to sign up: this event is for members of the cooperative." in html
    assert f"/en/accounts/login/?next=/en/events/{event.pk}/" in html
    assert "breakfast" not in html


@pytest.mark.parametrize("persona", ["outsider", "nonmember", "board"])
def test_a_members_event_tells_other_people_to_link_their_membership(
    personas: dict[str, User | None], persona: str
) -> None:
    event = make_event(title="Members' breakfast", audience=Audience.MEMBERS)
    response = client_for(personas[persona]).get(event_url(event))
    assert response.status_code == 403
    html = response.content.decode()
    if persona == "nonmember":
        assert "linked to the register as a non-member user" in html
        assert "Link your account to your membership first." not in html
    else:
        assert "Link your account to your membership first." in html
    assert "breakfast" not in html


@pytest.mark.parametrize("persona", ["member", "staff"])
def test_members_and_staff_see_a_members_event(personas: dict[str, User | None], persona: str) -> None:
    event = make_event(audience=Audience.MEMBERS)
    html = client_for(personas[persona]).get(event_url(event)).content.decode()
    assert "Sign up for Afterwork in Ghent" in html


@pytest.mark.parametrize("persona", ["visitor", "outsider", "nonmember", "board"])
def test_a_group_meeting_is_not_found_outside_the_group(personas: dict[str, User | None], persona: str) -> None:
    member = personas["member"]
    assert member is not None
    event = make_event(audience=Audience.CIRCLE, circle=make_circle(member))
    assert client_for(personas[persona]).get(event_url(event)).status_code == 404


def test_a_member_who_is_not_in_the_group_does_not_see_its_meeting(member: User) -> None:
    event = make_event(audience=Audience.CIRCLE, circle=make_circle(make_person("ann@example.org")))
    assert client_for(member).get(event_url(event)).status_code == 404


def test_an_unknown_event_is_not_found(db: Any) -> None:
    assert client_for(None).get("/en/events/999999/").status_code == 404


def test_a_group_member_sees_the_meeting_with_the_video_link(member: User) -> None:
    circle = make_circle(member)
    event = make_event(
        audience=Audience.CIRCLE, circle=circle, attendance=Attendance.ONLINE, video_url=VIDEO, agenda="Budget"
    )
    html = client_for(member).get(event_url(event)).content.decode()
    assert "You have a seat." in html
    assert VIDEO in html
    assert "Cancel my sign-up for Afterwork in Ghent" in html


def test_the_video_link_is_shown_to_a_confirmed_person_only(member: User, nonmember: User) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1, attendance=Attendance.ONLINE, video_url=VIDEO)
    services.sign_up(event_id=event.pk, user=member)
    services.sign_up(event_id=event.pk, user=nonmember)
    confirmed = client_for(member).get(event_url(event)).content.decode()
    waiting = client_for(nonmember).get(event_url(event)).content.decode()
    assert VIDEO in confirmed and "You have a seat." in confirmed
    assert VIDEO not in waiting and "You are on the waiting list: number 1." in waiting
    assert VIDEO not in client_for(None).get(event_url(event)).content.decode()


def test_attendee_names_are_never_on_public_pages(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    services.sign_up(event_id=event.pk, user=member)
    services.sign_up(event_id=event.pk, name="Zoë Visitor", email="zoe@example.org")
    for url in (event_url(event), LIST_URL):
        html = client_for(None).get(url).content.decode()
        assert "Lotte" not in html and "Zoë" not in html and "zoe@example.org" not in html


def test_the_organiser_and_staff_get_a_link_to_the_organiser_pages(member: User, staff: User, nonmember: User) -> None:
    event = make_event(audience=Audience.PUBLIC, by=member)
    edit = f'href="/en/events/organise/{event.pk}/"'
    assert edit in client_for(member).get(event_url(event)).content.decode()
    assert edit in client_for(staff).get(event_url(event)).content.decode()
    assert edit not in client_for(nonmember).get(event_url(event)).content.decode()


def test_a_cancelled_event_says_so_and_offers_no_sign_up(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    services.cancel_event(by=None, event=event)
    html = client_for(member).get(event_url(event)).content.decode()
    assert "This event was cancelled." in html
    assert "Sign up for" not in html


def test_the_event_page_refuses_a_post(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    assert client_for(member).post(event_url(event)).status_code == 405


# --- Minutes and attachments ------------------------------------------------------------------------


@pytest.fixture
def meeting_with_minutes(member: User, staff: User) -> Event:
    """A past meeting of Lotte's group with minutes and an attachment."""
    circle = make_circle(member)
    event = make_event(audience=Audience.CIRCLE, circle=circle, days=-1)
    services.save_minutes(by=staff, event=event, agenda="", minutes="We decided **to meet again**.")
    upload = SimpleUploadedFile("decisions.pdf", b"%PDF-1.4 decisions", content_type="application/pdf")
    services.add_attachment(by=staff, event=event, upload=upload)
    return event


def test_the_group_reads_the_minutes_and_downloads_the_attachment(
    member: User, meeting_with_minutes: Event, settings: Any, tmp_path: Any
) -> None:
    attachment = MinutesAttachment.objects.get()
    html = client_for(member).get(event_url(meeting_with_minutes)).content.decode()
    assert "<strong>to meet again</strong>" in html
    assert f'href="/en/events/attachments/{attachment.pk}/"' in html
    response = client_for(member).get(f"/en/events/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.getvalue().startswith(b"%PDF")


def test_a_member_outside_the_group_gets_no_minutes(meeting_with_minutes: Event, nonmember: User) -> None:
    attachment = MinutesAttachment.objects.get()
    assert client_for(nonmember).get(event_url(meeting_with_minutes)).status_code == 404
    assert client_for(nonmember).get(f"/en/events/attachments/{attachment.pk}/").status_code == 404
    assert client_for(None).get(f"/en/events/attachments/{attachment.pk}/").status_code == 404


def test_minutes_of_a_public_event_are_for_those_who_held_a_seat(member: User, nonmember: User, staff: User) -> None:
    event = make_event(audience=Audience.PUBLIC, days=1)
    services.sign_up(event_id=event.pk, user=member)
    services.save_minutes(by=staff, event=event, agenda="", minutes="What we said.")
    upload = SimpleUploadedFile("notes.pdf", b"%PDF-1.4 notes", content_type="application/pdf")
    attachment = services.add_attachment(by=staff, event=event, upload=upload)
    assert "What we said." in client_for(member).get(event_url(event)).content.decode()
    assert "What we said." not in client_for(nonmember).get(event_url(event)).content.decode()
    assert "What we said." not in client_for(None).get(event_url(event)).content.decode()
    assert client_for(nonmember).get(f"/en/events/attachments/{attachment.pk}/").status_code == 403
    assert client_for(None).get(f"/en/events/attachments/{attachment.pk}/").status_code == 403


def test_an_unknown_attachment_is_not_found(member: User) -> None:
    assert client_for(member).get("/en/events/attachments/999999/").status_code == 404


# --- Series -----------------------------------------------------------------------------------------


def test_the_series_page_lists_its_coming_occurrences_with_seats(db: Any) -> None:
    start = timezone.now() + timedelta(days=3)
    data = EventInput(
        titles={"en": "Monday breakfast"},
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        address=ADDRESS,
        audience=Audience.PUBLIC,
        capacity=8,
    )
    series = services.create_series(by=None, data=data, rule="FREQ=WEEKLY;COUNT=3")
    response = client_for(None).get(f"/en/events/series/{series.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("8 seats left") == 3
    event = series.events.first()
    assert event is not None
    assert f'href="/en/events/series/{series.pk}/"' in client_for(None).get(event_url(event)).content.decode()


def test_a_series_of_group_meetings_is_not_found_outside_the_group(member: User, nonmember: User) -> None:
    start = timezone.now() + timedelta(days=3)
    data = EventInput(
        titles={"en": "Group"},
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        address=ADDRESS,
        audience=Audience.CIRCLE,
        circle=make_circle(member),
    )
    series = services.create_series(by=None, data=data, rule="FREQ=WEEKLY;COUNT=2")
    assert client_for(member).get(f"/en/events/series/{series.pk}/").status_code == 200
    assert client_for(nonmember).get(f"/en/events/series/{series.pk}/").status_code == 404
    assert client_for(None).get("/en/events/series/999999/").status_code == 404


# --- The edition page and the menu ------------------------------------------------------------------


def test_the_edition_page_lists_its_coming_visible_events(db: Any) -> None:
    from coopsip.registrations.tests.test_register import make_open_edition

    edition = make_open_edition()
    event = make_event(title="Info session of the edition", audience=Audience.PUBLIC, edition=edition)
    make_event(title="Members only session", audience=Audience.MEMBERS, edition=edition)
    make_event(title="Other event", audience=Audience.PUBLIC)
    html = client_for(None).get(f"/en/editions/{edition.slug}/").content.decode()
    assert "Info session of the edition" in html
    assert f'href="/en/events/{event.pk}/"' in html
    assert "Members only session" not in html and "Other event" not in html


def test_the_main_menu_links_to_the_events(db: Any) -> None:
    html = client_for(None).get(LIST_URL).content.decode()
    assert '<a href="/en/events/">Events</a>' in html


def test_signups_are_not_created_by_visiting_pages(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    client_for(member).get(event_url(event))
    assert not SignUp.objects.exists()
