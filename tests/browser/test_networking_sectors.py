"""Sector networks and the follow-up of networking events: a visitor reads a sector network's page, a member
asks to join it; staff filter the dashboard by level and sector. axe-core checks each page visited."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.events import services as events_services
from coopsip.events.models import Attendance, Audience, CircleRole, EventFormat, EventKind
from coopsip.members.models import MembershipStatus
from coopsip.networking import services
from coopsip.networking.models import JoinRequest, Level, Sector

from .conftest import assert_accessible, label
from .test_editions import log_in_with_totp

pytestmark = pytest.mark.browser


def person(email: str, first_name: str, number: str) -> Any:
    user = make_person(email, first_name=first_name, last_name="Claes", preferred_language="en")
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def held(title: str, days_ago: int, people: list[Any], sector: str) -> Any:
    start = timezone.now() - timedelta(days=days_ago)
    event = events_services.create_event(
        by=None,
        data=events_services.EventInput(
            titles={"nl": title, "fr": title, "en": title},
            kind=EventKind.NETWORKING,
            format=EventFormat.AFTERWORK,
            sector=sector,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            attendance=Attendance.IN_PERSON,
            address="Rue Coenraets 72, 1060 Bruxelles",
            audience=Audience.MEMBERS,
        ),
    )
    ids = [
        events_services.sign_up(event_id=event.pk, user=p, now=start - timedelta(days=1), notify=False).pk
        for p in people
    ]
    events_services.record_attendance(by=None, event=event, present=ids, now=start + timedelta(hours=2))
    return event


@pytest.fixture
def sectors(migration_rows: None) -> dict[str, Any]:
    importlib.import_module("coopsip.networking.migrations.0003_starter_vocabulary").load(apps, None)
    cora = person("cora@example.org", "Cora", "510001")
    lotte = person("lotte@example.org", "Lotte", "510002")
    circle = events_services.create_circle(name="Sectornetwerk muziek", members=[(cora, CircleRole.MODERATOR)])
    network = services.create_sector_network(
        circle=circle,
        sector=Sector.objects.get(slug="music"),
        names={"nl": "Sectornetwerk muziek", "fr": "Réseau musique", "en": "Music network"},
        how_to_join={"en": "Musicians and sound engineers are welcome."},
    )
    people = [person(f"p{n}@example.org", f"P{n}", f"5110{n:02d}") for n in range(6)]
    held("Music afterwork", 10, people, "music")
    european = held("European music forum", 20, people[:2], "music")
    services.record_event_follow_up(
        event=european, data=services.FollowUpInput(level=Level.EUROPEAN, organised_by="EU", headcount=30)
    )
    held("Design afterwork", 15, people[:3], "graphic_design")
    return {"network": network, "lotte": lotte}


def test_a_visitor_reads_a_sector_network_and_a_member_asks_to_join(page: Page, sectors: dict[str, Any]) -> None:
    network = sectors["network"]
    page.set_default_navigation_timeout(60_000)  # the first request of a live server warms up slowly
    page.goto("/en/network/sectors/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sector networks")
    assert_accessible(page)
    page.get_by_role("link", name="Music network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Music network")
    expect(page.get_by_text("Musicians and sound engineers are welcome.")).to_be_visible()
    expect(page.get_by_text("Cora Claes (moderator)")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/en/accounts/login/?next=/en/network/sectors/{network.pk}/")
    page.get_by_label(label("Email")).fill("lotte@example.org")
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.goto(f"/en/network/sectors/{network.pk}/")
    page.get_by_role("link", name="Ask to join").click()
    page.get_by_label(label("A word to the coordinators (optional)")).fill("I play the double bass.")
    assert_accessible(page)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("Your request to join is waiting for the coordinators.")).to_be_visible()
    assert_accessible(page)
    assert JoinRequest.objects.filter(network=network, user=sectors["lotte"], status="waiting").exists()


def test_staff_filter_the_dashboard_by_level_and_sector(
    page: Page, live_server: Any, sara: Any, totp_secret: str, sectors: dict[str, Any]
) -> None:
    page.set_default_navigation_timeout(60_000)
    page.set_default_timeout(30_000)
    log_in_with_totp(page, live_server.url, totp_secret)
    start = (timezone.localdate() - timedelta(days=60)).isoformat()
    page.goto(f"/en/staff/network/events/?start={start}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Networking events: follow-up")
    expect(page.get_by_role("img", name="By level")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(label("Level")).select_option(label="European")
    page.get_by_label(label("Sector")).select_option(label="music")
    page.get_by_role("button", name="Show").click()
    events = page.get_by_role("table", name="The networking events of the period")
    expect(events.get_by_role("row")).to_have_count(2)  # the header and the European forum
    expect(events).to_contain_text("European music forum")
    expect(page.get_by_text("32 people present")).to_be_visible()
    assert_accessible(page)


def test_staff_look_at_a_quarter_of_one_sector_beside_the_quarter_before(
    page: Page, live_server: Any, sara: Any, totp_secret: str, sectors: dict[str, Any]
) -> None:
    page.set_default_navigation_timeout(60_000)
    page.set_default_timeout(30_000)
    log_in_with_totp(page, live_server.url, totp_secret)
    page.goto("/en/staff/network/events/")
    page.get_by_label(label("Period")).select_option(label="quarter")
    page.get_by_label(label("From")).fill((timezone.localdate() - timedelta(days=10)).isoformat())
    page.get_by_label(label("Sector")).select_option(label="music")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Compared with the previous period")).to_be_visible()
    expect(page.get_by_role("img", name="Compared with the previous period")).to_be_visible()
    expect(page.get_by_role("img", name="By week")).to_be_visible()
    comparison = page.get_by_role("table", name="The numbers of the chart “Compared with the previous period”")
    expect(comparison.get_by_role("row")).to_have_count(4)  # the header, this quarter, the one before, the difference
    expect(page.get_by_role("table", name="The networking events of the period")).not_to_contain_text(
        "Design afterwork"
    )
    assert_accessible(page)
