"""A group's moderator and secretary create its meetings from "New event" (issue 16, point 13).

Ines is the secretary of "Werkgroep wonen", Mehdi its moderator, Lotte a plain
member. The officers reach "New event" and "New series" from the group's pages
(``?circle=`` chooses the group) and from "Events I organise"; they create
meetings of their own groups only: never a public or members' event, never a
meeting of another group. Everyone else is refused, as before.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, Circle, CircleRole, Event, SignUpStatus
from coopsip.events.tests.test_organise_access import REFUSED, form_data, person

pytestmark = pytest.mark.django_db

CREATE = "/en/events/organise/new/"
CREATE_SERIES = "/en/events/organise/new-series/"


@pytest.fixture
def ines() -> User:
    return person("ines@example.org", "Ines")


@pytest.fixture
def mehdi() -> User:
    return person("mehdi@example.org", "Mehdi")


@pytest.fixture
def circle(ines: User, mehdi: User, member: User) -> Circle:
    return services.create_circle(
        name="Werkgroep wonen",
        members=[(ines, CircleRole.SECRETARY), (mehdi, CircleRole.MODERATOR), (member, CircleRole.MEMBER)],
    )


def meeting_data(group: Circle, **overrides: Any) -> dict[str, Any]:
    values = {"kind": "group_meeting", "format": "meeting", "audience": "circle", "circle": str(group.pk)}
    return form_data(**(values | overrides))


@pytest.mark.parametrize("officer", ["ines", "mehdi"])
def test_an_officer_creates_a_meeting_of_her_group_from_the_groups_link(
    request: pytest.FixtureRequest, circle: Circle, member: User, officer: str
) -> None:
    user: User = request.getfixturevalue(officer)
    client = client_for(user)
    page = client.get(f"{CREATE}?circle={circle.pk}").content.decode()
    # The group is chosen already, and "one group only" is the only audience offered.
    assert f'<option value="{circle.pk}" selected>Werkgroep wonen</option>' in page
    assert 'value="public"' not in page and 'value="members"' not in page
    response = client.post(CREATE, meeting_data(circle))
    assert response.status_code == 303
    event = Event.objects.get()
    assert (event.circle, event.audience, event.organiser) == (circle, Audience.CIRCLE, user)
    # The group's members hold a seat without signing up, and she organises the meeting.
    seated = set(event.signups.filter(status=SignUpStatus.CONFIRMED).values_list("user__email", flat=True))
    assert "lotte@example.org" in seated
    assert client.get(response["Location"]).status_code == 200
    assert "Work breakfast" in client.get(reverse("events_organise:list")).content.decode()


def test_an_officer_creates_a_series_of_meetings_of_her_group(ines: User, circle: Circle) -> None:
    data = meeting_data(circle, frequency="weekly", until="", count="3")
    response = client_for(ines).post(CREATE_SERIES, data)
    assert response.status_code == 303
    assert Event.objects.filter(circle=circle, audience=Audience.CIRCLE).count() == 3


def test_an_officer_may_not_create_a_public_or_members_event(ines: User, circle: Circle) -> None:
    client = client_for(ines)
    for audience in ("public", "members"):
        response = client.post(CREATE, meeting_data(circle, audience=audience))
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()


def test_an_officer_may_not_create_a_meeting_of_another_group(ines: User, circle: Circle) -> None:
    other = services.create_circle(name="Werkgroep mobiliteit")
    client = client_for(ines)
    page = client.get(f"{CREATE}?circle={other.pk}").content.decode()
    assert "Werkgroep mobiliteit" not in page  # not offered, not chosen
    response = client.post(CREATE, meeting_data(other))
    assert response.status_code == 400
    assert not Event.objects.exists()
    # Without a group at all, the form says so.
    assert client.post(CREATE, meeting_data(circle, circle="")).status_code == 400
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("url", [CREATE, CREATE_SERIES])
def test_who_is_no_officer_may_not_create_a_meeting(
    personas: dict[str, User | None], circle: Circle, role: str, url: str
) -> None:
    # Lotte ("member") is a plain member of the group.
    client = client_for(personas[role])
    assert client.get(f"{url}?circle={circle.pk}").status_code == 403
    assert client.post(url, meeting_data(circle)).status_code == 403
    assert not Event.objects.exists()


def test_a_visitor_is_sent_to_log_in(circle: Circle) -> None:
    response = client_for(None).post(CREATE, meeting_data(circle))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_still_create_any_event(staff: User) -> None:
    client = client_for(staff)
    assert 'value="public"' in client.get(CREATE).content.decode()
    assert client.post(CREATE, form_data(audience="public")).status_code == 303
    assert Event.objects.get().audience == Audience.PUBLIC


def test_the_groups_pages_and_the_organiser_list_lead_officers_to_a_new_meeting(
    ines: User, member: User, circle: Circle
) -> None:
    link = f"{CREATE}?circle={circle.pk}"
    space = reverse("groupspace:polls", kwargs={"circle_pk": circle.pk})
    assert link in client_for(ines).get(space).content.decode()
    assert link not in client_for(member).get(space).content.decode()
    listed = client_for(ines).get(reverse("events_organise:list")).content.decode()
    assert link in listed and f"{CREATE_SERIES}?circle={circle.pk}" in listed
