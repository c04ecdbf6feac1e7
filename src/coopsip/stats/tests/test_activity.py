"""Figures beyond the groups (recommendations' follow-up, networking, surveys) on a data set computed by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import client_for, make_person
from coopsip.editions.models import Theme
from coopsip.events.models import Event, EventKind, SignUp, SignUpStatus
from coopsip.groups.tests.factories import make_edition, make_registrant
from coopsip.networking.models import Category, EventFollowUp, Kind, Level, Listing
from coopsip.recommendations.models import DecisionKind, FollowUpProject, ProjectStatus
from coopsip.recommendations.tests.followup import decided, submitted
from coopsip.stats import activity, presentation
from coopsip.surveys.models import AudienceKind, Response, Survey

pytestmark = pytest.mark.django_db


def csv_rows(table: presentation.Table) -> list[list[str]]:
    return [[presentation.csv_cell(cell) for cell in row] for row in table.rows]


@pytest.fixture
def known(staff: Any) -> Any:
    """By hand:

    - Theme Care: 3 recommendations submitted, 2 decided (one accepted with a public project under way, one
      rejected, no project); theme Housing: 1 submitted, none decided.
    - Offers shown now: 7 "work" by 7 people, 2 "space" by the first 2 of them; needs: 6 "work" by 6 people,
      and one withdrawn need (not counted). Offers column: the 2 is small, so the 7 is hidden too.
    - Networking events held: 2 local (3 and 4 present: 7), 1 European recorded with a headcount of 40;
      one local event in the future (not held).
    - Surveys with published results: one for the edition's 10 registrants with 6 responses sent (60 %),
      one by link with 3 sent (fewer than 5); one survey without published results (not counted).
    """
    edition = make_edition()
    care = Theme.objects.filter(edition=edition).order_by("position").first() or Theme.objects.create(
        edition=edition, title="Care", slug="care", position=1
    )
    housing = Theme.objects.create(edition=edition, title="Housing", slug="housing", position=99)
    first, second, _third = (submitted(theme=care) for _ in range(3))
    submitted(theme=housing)
    accepted = decided(staff, first, kind=DecisionKind.ACCEPTED)
    decided(staff, second, kind=DecisionKind.REJECTED)
    FollowUpProject.objects.create(decision=accepted, title="A project", status=ProjectStatus.UNDER_WAY, public=True)

    authors = [make_person(f"author{n}@example.org") for n in range(7)]
    for author in authors:
        Listing.objects.create(author=author, kind=Kind.OFFER, category=Category.WORK, title="Offer", language="nl")
    for author in authors[:2]:
        Listing.objects.create(author=author, kind=Kind.OFFER, category=Category.SPACE, title="Room", language="nl")
    for author in authors[:6]:
        Listing.objects.create(author=author, kind=Kind.NEED, category=Category.WORK, title="Need", language="nl")
    Listing.objects.create(
        author=authors[0], kind=Kind.NEED, category=Category.WORK, title="Old", language="nl", status="withdrawn"
    )

    now = timezone.now()

    def event(days: int, present: int, level: str | None = None, headcount: int | None = None) -> Event:
        starts = now + timedelta(days=days)
        found = Event.objects.create(
            title="Networking",
            kind=EventKind.NETWORKING,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            audience="public",
            attendance="online",
            video_url="https://meet.example.org/room",
        )
        if level is not None:
            EventFollowUp.objects.create(event=found, level=level, headcount=headcount)
        for person in authors[:present]:
            SignUp.objects.create(
                event=found, user=person, name="x", email=person.email, status=SignUpStatus.ATTENDED, queued_at=starts
            )
        return found

    event(-10, 3)
    event(-5, 4, level=Level.LOCAL)
    event(-20, 0, level=Level.EUROPEAN, headcount=40)
    event(+5, 2)

    for n in range(10):
        make_registrant(edition, f"Reg{n}")
    opened = {"opens_at": now - timedelta(days=30), "closes_at": now - timedelta(days=1)}
    for_edition = Survey.objects.create(
        title="Secret title of a members' survey",
        audience=AudienceKind.EDITION,
        audience_edition=edition,
        results_published_at=now,
        **opened,
    )
    by_link = Survey.objects.create(title="By link", audience=AudienceKind.LINK, results_published_at=now, **opened)
    unpublished = Survey.objects.create(title="Not yet", audience=AudienceKind.LINK, **opened)
    for survey, sent in ((for_edition, 6), (by_link, 3), (unpublished, 8)):
        for n in range(sent):
            Response.objects.create(survey=survey, respondent_key=f"{survey.pk}-{n}", submitted_at=now)
        Response.objects.create(survey=survey, respondent_key=f"{survey.pk}-draft")  # not sent
    return edition


def test_recommendations_per_theme_and_follow_up(known: Any) -> None:
    tables = activity.tables(activity.compute())
    rows = {row[1]: row[2:] for row in csv_rows(tables["themes"])}
    assert rows["Housing"] == ["1", "0"]
    assert ["3", "2"] in rows.values()
    assert {row[0]: row[1] for row in csv_rows(tables["follow_up"])} == {
        "planned": "0",
        "under way": "1",
        "done": "0",
        "stopped": "0",
        "no project yet": "1",
    }


def test_offers_and_needs_are_protected_by_secondary_suppression(known: Any) -> None:
    rows = {row[0]: row[1:] for row in csv_rows(activity.tables(activity.compute())["listings"])}
    assert rows["work, a service or a collaborator"] == ["x", "6"]
    assert rows["a space"] == ["<5", "0"]
    assert rows["members who published them"] == ["7", "6"]
    exact = {row[0]: row[1:] for row in csv_rows(activity.tables(activity.compute(), exact=True)["listings"])}
    assert exact["work, a service or a collaborator"] == ["7", "6"]
    assert exact["a space"] == ["2", "0"]


def test_networking_events_by_level(known: Any) -> None:
    rows = {row[0]: row[1:] for row in csv_rows(activity.tables(activity.compute())["networking_events"])}
    assert rows["local"] == ["2", "7"]
    assert rows["European"] == ["1", "40"]
    assert rows["regional"] == ["0", "0"]


def test_survey_response_rates_without_titles_in_public(known: Any) -> None:
    public = csv_rows(activity.tables(activity.compute())["surveys"])
    assert public == [["the registrants of an edition", "1", "6", "60.0"], ["anyone with the link", "1", "<5", ""]]
    staff = csv_rows(activity.tables(activity.compute(), exact=True)["surveys"])
    assert [row[0] for row in staff] == ["Secret title of a members' survey", "By link"] or [
        row[0] for row in staff
    ] == ["By link", "Secret title of a members' survey"]
    assert ["6", "60.0"] in [row[3:] for row in staff]


def test_the_public_page_and_its_csv(client: Any, known: Any) -> None:
    page = client.get("/en/statistics/activity/").content.decode()
    assert "Offers and needs shown now, by what they are about" in page
    assert "Secret title" not in page
    assert '<th scope="row">a space</th><td>fewer than 5</td><td>0</td>' in page
    assert '<th scope="row">work, a service or a collaborator</th><td>hidden</td><td>6</td>' in page
    response = client.get("/en/statistics/activity/listings.csv")
    assert response.status_code == 200
    assert "x,6" in b"".join(response.streaming_content).decode()
    assert client.get("/en/statistics/activity/nothing.csv").status_code == 404


def test_the_team_page_is_exact_and_refused_to_members(staff: Any, member: Any, known: Any) -> None:
    page = client_for(staff).get("/en/staff/statistics/activity/").content.decode()
    assert "Secret title of a members&#x27; survey" in page
    assert '<th scope="row">a space</th><td>2</td><td>0</td>' in page
    assert client_for(member).get("/en/staff/statistics/activity/").status_code == 403
    assert client_for(member).get("/en/staff/statistics/activity/surveys.csv").status_code == 403
    assert client_for(staff).get("/en/staff/statistics/activity/surveys.csv").status_code == 200


def test_nothing_yet_reads_zeros(client: Any) -> None:
    response = client.get("/en/statistics/activity/")
    assert response.status_code == 200
    assert "Nothing to count yet." in response.content.decode()


def test_staff_reach_the_funnel_from_the_team_area(staff: Any) -> None:
    page = client_for(staff).get("/en/staff/").content.decode()
    assert 'href="/en/staff/statistics/"' in page
    assert "Statistics: detail and funnel" in page
