"""A group's meetings in calendars, and what stops when someone leaves.

Seen in the review: the group calendar link could not be renewed and carried
the video link of every meeting, so a person who left the group, or deleted
their account, kept receiving them. Decision: the group's meetings, with
their video links, are in each member's personal calendar link (they hold a
seat at each meeting); leaving the group takes their seats at coming
meetings and the links of past ones out of it, and deleting the account
deletes the link. The shared group link carries no video link any more, and
the group's moderator, secretary or the team renew it after a confirmation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar

from conftest import client_for
from coopsip.accounts import services as accounts_services
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Attendance, Audience, CircleMember, CircleRole, SignUp
from coopsip.events.tests.test_organise_access import person
from coopsip.events.tests.test_public_pages import VIDEO, make_circle, make_event

pytestmark = pytest.mark.django_db


def parse(response: Any) -> Calendar:
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content)


def summaries(calendar: Calendar) -> set[str]:
    return {str(component["SUMMARY"]) for component in calendar.walk("VEVENT")}


def feed_url(user: User) -> str:
    return f"/en/events/calendar/{services.calendar_feed_of(user=user).token}.ics"


def group_url(token: str) -> str:
    return f"/en/events/groups/{token}/calendar.ics"


def meeting(circle: Any, title: str, *, days: float = 7) -> Any:
    return make_event(
        title=title,
        days=days,
        attendance=Attendance.ONLINE,
        video_url=VIDEO,
        audience=Audience.CIRCLE,
        circle=circle,
    )


# --- Each member's own calendar ----------------------------------------------------------------------


def test_the_group_meetings_are_in_each_members_personal_calendar_with_the_video_link(member: User) -> None:
    circle = make_circle(member)
    meeting(circle, "Group meeting")
    calendar = parse(client_for(None).get(feed_url(member)))
    assert summaries(calendar) == {"Group meeting"}
    assert VIDEO in calendar.to_ical().decode()


def test_leaving_the_group_takes_its_meetings_and_links_out_of_the_personal_calendar(
    member: User, nonmember: User
) -> None:
    circle = make_circle(member, nonmember)
    past = meeting(circle, "Last week's meeting", days=-7)
    services.record_attendance(by=None, event=past, present=past.signups.values_list("pk", flat=True))
    coming = meeting(circle, "Next meeting")
    assert client_for(member).get(f"/en/events/{past.pk}/").content.decode().count(VIDEO) >= 1

    assert services.remove_from_circle(circle=circle, user=member) is True

    assert not CircleMember.objects.filter(circle=circle, user=member).exists()
    calendar = parse(client_for(None).get(feed_url(member)))
    # The coming meeting is gone (its seat is cancelled); last week's stays in their history, without its link.
    assert summaries(calendar) == {"Last week's meeting"}
    assert VIDEO not in calendar.to_ical().decode()
    assert SignUp.objects.get(event=coming, user=member).status == "cancelled"
    assert SignUp.objects.get(event=past, user=member).status == "attended"
    # Nor on the meeting's page: a group's link is often the same every week.
    assert VIDEO not in client_for(member).get(f"/en/events/{past.pk}/").content.decode()
    # Julien, still in the group, keeps both.
    assert VIDEO in client_for(None).get(feed_url(nonmember)).content.decode()
    assert services.remove_from_circle(circle=circle, user=member) is False


def test_a_seat_freed_by_someone_leaving_goes_to_the_first_person_waiting(member: User, nonmember: User) -> None:
    circle = make_circle(member)
    coming = make_event(title="Full meeting", audience=Audience.CIRCLE, circle=circle, capacity=1)
    services.add_to_circle(circle=circle, user=nonmember)
    assert SignUp.objects.get(event=coming, user=nonmember).status == "waiting"
    services.remove_from_circle(circle=circle, user=member)
    assert SignUp.objects.get(event=coming, user=nonmember).status == "confirmed"


def test_deleting_the_account_stops_the_personal_calendar(member: User) -> None:
    circle = make_circle(member)
    meeting(circle, "Group meeting")
    url = feed_url(member)
    assert client_for(None).get(url).status_code == 200
    accounts_services.delete_account(user=member)
    assert client_for(None).get(url).status_code == 404


# --- The shared group link ------------------------------------------------------------------------------


def test_the_shared_group_link_carries_no_video_link(member: User) -> None:
    circle = make_circle(member)
    meeting(circle, "Group meeting")
    calendar = parse(client_for(None).get(group_url(circle.calendar_token)))
    assert summaries(calendar) == {"Group meeting"}
    assert VIDEO not in calendar.to_ical().decode()


def link_page(circle: Any) -> str:
    return reverse("events_organise:circle_calendar_link", kwargs={"pk": circle.pk})


def test_the_secretary_renews_the_group_link_after_a_confirmation(member: User) -> None:
    ines = person("ines@example.org", "Ines")
    circle = services.create_circle(
        name="Werkgroep wonen", members=[(ines, CircleRole.SECRETARY), (member, CircleRole.MEMBER)]
    )
    old = circle.calendar_token
    client = client_for(ines)
    # Her list of events links to the page of the link.
    assert link_page(circle) in client.get(reverse("events_organise:list")).content.decode()
    page = client.get(link_page(circle))
    assert page.status_code == 200
    assert group_url(old) in page.content.decode()
    assert "The old link then no longer works" in page.content.decode()
    # A POST without the confirmation renews nothing.
    refused = client.post(link_page(circle))
    assert refused.status_code == 400
    assert "Nothing was renewed" in refused.content.decode()
    circle.refresh_from_db()
    assert circle.calendar_token == old

    response = client.post(link_page(circle), {"confirm": "yes"})
    assert response.status_code == 303
    circle.refresh_from_db()
    assert circle.calendar_token != old
    assert client_for(None).get(group_url(old)).status_code == 404
    assert client_for(None).get(group_url(circle.calendar_token)).status_code == 200
    after = client.get(response["Location"]).content.decode()
    assert "The calendar link is renewed: the old link no longer works." in after
    assert group_url(circle.calendar_token) in after


def test_the_team_renews_any_group_link_from_the_list_of_groups(staff: User, member: User) -> None:
    circle = make_circle(member)
    old = circle.calendar_token
    client = client_for(staff)
    assert link_page(circle) in client.get(reverse("events_organise:circles")).content.decode()
    client.post(link_page(circle), {"confirm": "yes"})
    assert client_for(None).get(group_url(old)).status_code == 404


def test_joining_later_puts_the_coming_meetings_in_the_personal_calendar(member: User, nonmember: User) -> None:
    circle = make_circle(member)
    meeting(circle, "Group meeting")
    meeting(circle, "Earlier meeting", days=-1)
    services.add_to_circle(circle=circle, user=nonmember)
    assert summaries(parse(client_for(None).get(feed_url(nonmember)))) == {"Group meeting"}


# --- Costs ---------------------------------------------------------------------------------------------


def test_the_personal_calendar_costs_the_same_queries_for_more_groups_and_meetings(
    member: User, nonmember: User, django_assert_num_queries: Any
) -> None:
    meeting(make_circle(member), "Meeting 0")
    url = feed_url(member)
    with django_assert_num_queries(FEED_QUERIES) as captured:
        client_for(None).get(url)
    for number in range(1, 6):
        circle = make_circle(member, nonmember, name=f"Group {number}")
        meeting(circle, f"Meeting {number}")
        meeting(circle, f"Past meeting {number}", days=-3)
    services.remove_from_circle(circle=circle, user=member)
    with django_assert_num_queries(len(captured)):
        calendar = parse(client_for(None).get(url))
    assert len(summaries(calendar)) == 10  # the coming meeting of the group left is gone


def test_the_list_of_groups_costs_the_same_queries_for_more_groups(
    staff: User, member: User, django_assert_num_queries: Any
) -> None:
    make_circle(member)
    client = client_for(staff)
    client.get(reverse("events_organise:circles"))  # warm the session
    with django_assert_num_queries(GROUPS_QUERIES) as captured:
        client.get(reverse("events_organise:circles"))
    for number in range(10):
        make_circle(member, name=f"Group {number}")
    with django_assert_num_queries(len(captured)):
        page = client.get(reverse("events_organise:circles")).content.decode()
    assert page.count("Calendar link (renew)") == 11


FEED_QUERIES = 3
GROUPS_QUERIES = 6
