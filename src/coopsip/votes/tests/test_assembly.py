"""The general assembly: a ballot held at an event, members-only pages that say why, the hot page's queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.events.models import Audience, Event
from coopsip.events.services import EventInput, create_event
from coopsip.votes import services
from coopsip.votes.models import Ballot

from .conftest import close, make_ballot, options, voter


def assembly(days: int = 0) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days, hours=2)
    return create_event(
        by=None,
        data=EventInput(
            titles={"nl": "Algemene vergadering 2027", "en": "General assembly 2027"},
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            address="Coupure Rechts 88, 9000 Gent",
            capacity=200,
            audience=Audience.MEMBERS,
        ),
    )


def test_the_ballot_shows_its_assembly_and_the_event_shows_the_open_vote(member: Any, staff: Any) -> None:
    event = assembly()
    ballot = make_ballot(voter(9))
    services.link_event(actor=None, ballot=ballot, event=event)
    page = client_for(member).get(reverse("votes:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert "The general assembly" in page and "General assembly 2027" in page
    assert "Coupure Rechts 88, 9000 Gent" in page
    assert "Sign up for the assembly" in page
    assert reverse("events:detail", kwargs={"pk": event.pk}) in page

    event_page = client_for(member).get(reverse("events:detail", kwargs={"pk": event.pk})).content.decode()
    assert "The vote of this general assembly" in event_page and "Vote now" in event_page
    assert reverse("votes:ballot", kwargs={"pk": ballot.pk}) in event_page
    # The team sees the event too, and is told who votes; once the vote closes the event page no longer shows it.
    other = client_for(staff).get(reverse("events:detail", kwargs={"pk": event.pk}))
    assert "Only members of the cooperative vote." in other.content.decode()
    close(ballot)
    assert (
        "The vote of this general assembly"
        not in client_for(member).get(reverse("events:detail", kwargs={"pk": event.pk})).content.decode()
    )


def test_staff_link_the_ballot_to_its_assembly_and_unlink_it(staff: Any) -> None:
    event = assembly(days=10)
    ballot = make_ballot(voter(9))
    client = client_for(staff)
    page = client.get(reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert "General assembly" in page  # the event is offered in the list
    url = reverse("votes_staff:link_event", kwargs={"pk": ballot.pk})
    assert client.post(url, {"event": event.pk}).status_code == 303
    assert Ballot.objects.get(pk=ballot.pk).event == event
    assert client.post(url, {"event": ""}).status_code == 303
    assert Ballot.objects.get(pk=ballot.pk).event is None
    assert client.post(url, {"event": "999999"}).status_code == 303  # refused with a message, nothing changed
    assert Ballot.objects.get(pk=ballot.pk).event is None


def test_staff_open_a_ballot_at_its_assembly(staff: Any) -> None:
    event = assembly(days=10)
    proposals = [o.proposal for o in make_ballot(voter(9)).options.select_related("proposal")]
    now = timezone.localtime()
    response = client_for(staff).post(
        reverse("votes_staff:ballot_new"),
        {
            "title": "Assembly vote",
            "method": "approval",
            "seats": 1,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "proposals": [p.pk for p in proposals],
            "event": event.pk,
        },
    )
    assert response.status_code == 303
    assert Ballot.objects.get(title="Assembly vote").event == event


def test_people_who_are_not_members_get_a_page_that_says_why(nonmember: Any, outsider: Any) -> None:
    ballot = make_ballot(voter(9))
    for url in (
        reverse("votes:proposals"),
        reverse("votes:ballots"),
        reverse("votes:ballot", kwargs={"pk": ballot.pk}),
    ):
        refused = client_for(nonmember).get(url)
        assert refused.status_code == 403
        text = refused.content.decode()
        assert "Themes and votes are for members" in text and "Your membership is not active" in text
        unlinked = client_for(outsider).get(url).content.decode()
        assert "not linked to a membership yet" in unlinked and reverse("members:verify") in unlinked
        visitor = client_for(None).get(url)
        assert visitor.status_code == 302 and "/login/" in visitor["Location"]
    surveys = client_for(outsider).get(reverse("surveys:index")).content.decode()
    assert "Most surveys are for members" in surveys and reverse("members:verify") in surveys
    assert "Most surveys are for members" not in client_for(voter(3)).get(reverse("surveys:index")).content.decode()


@pytest.mark.parametrize("themes", [3, 12])
def test_the_ballot_page_and_the_vote_run_a_fixed_number_of_queries(member: Any, themes: int) -> None:
    """The closing burst's hot path: the same queries for 3 and 12 themes, and however many voted before."""
    ballot = make_ballot(voter(9), titles=tuple(f"Theme {n}" for n in range(themes)))
    for n in range(themes):  # others voted before
        services.cast_vote(ballot=ballot, user=voter(20 + n), choices=[])
    ids = list(options(ballot).values())
    client = client_for(member)
    url = reverse("votes:ballot", kwargs={"pk": ballot.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as vote:
        response = client.post(url, {f"rank_{ids[0]}": "1", f"rank_{ids[-1]}": "2"})
    assert response.status_code == 200 and "Your receipt code:" in response.content.decode()
    writes = [q["sql"] for q in vote.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    ballot_writes = [sql for sql in writes if "votes_" in sql]
    assert len(ballot_writes) == 2  # the participation and the ballot's content, each one upsert
    assert (len(page.captured_queries), len(vote.captured_queries)) == PINNED


# (ballot page, vote): session, user, groups, membership, ballot, options, voted, permissions…; the vote also
# checks, after writing the participation, that the member got no paper ballot at the assembly.
PINNED = (10, 14)


@pytest.mark.parametrize(("themes", "voters"), [(3, 4), (12, 15)])
def test_the_published_result_runs_a_fixed_number_of_queries(member: Any, themes: int, voters: int) -> None:
    """The result is counted once and stored with the ballot: its page never reads the cast ballots."""
    ballot = make_ballot(voter(9), titles=tuple(f"Theme {n}" for n in range(themes)))
    ids = list(options(ballot).values())
    for n in range(voters):
        services.cast_vote(ballot=ballot, user=voter(20 + n), choices=[ids[n % themes], ids[(n + 1) % themes]])
    close(ballot)
    services.publish_result(actor=None, ballot=services.count_ballot(actor=None, ballot=ballot))
    client = client_for(member)
    url = reverse("votes:ballot", kwargs={"pk": ballot.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
    assert "First preferences per theme" in response.content.decode()
    assert len(page.captured_queries) == RESULT_QUERIES


# The ballot page as before, plus the options named in the stored result (one query).
RESULT_QUERIES = 11
