"""The header leads somewhere: my registration, my events, the events I organise; HEAD / for monitors."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import CurrentEdition
from coopsip.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_the_header_links_to_my_registration_and_my_events(member: User) -> None:
    html = client_for(member).get("/en/").content.decode()
    assert 'href="/en/me/registration/">My registration</a>' in html
    assert 'href="/en/events/mine/">My events</a>' in html
    assert "Events I organise" not in html


def test_the_team_sees_the_events_they_organise_in_the_header(staff: User) -> None:
    assert 'href="/en/events/organise/">Events I organise</a>' in client_for(staff).get("/en/").content.decode()


def test_a_visitor_has_no_personal_links(db: Any) -> None:
    html = client_for(None).get("/en/").content.decode()
    assert "My registration" not in html and "My events" not in html


def test_my_registration_leads_to_the_registration_or_the_current_edition(member: User) -> None:
    from coopsip.registrations.tests.test_register import make_open_edition

    edition = make_open_edition()
    CurrentEdition.objects.create(country="BE", edition=edition)
    client = client_for(member)
    response = client.get(reverse("home:my_registration"))
    assert response["Location"] == reverse("editions:detail", kwargs={"slug": edition.slug})
    # Home offers "Register" while she has none.
    assert "Register for this edition" in client.get("/en/").content.decode()
    Registration.objects.create(edition=edition, user=member, mode="in_person")
    response = client.get(reverse("home:my_registration"))
    assert response["Location"] == reverse("registrations:mine", kwargs={"slug": edition.slug})
    home = client.get("/en/").content.decode()
    assert "Register for this edition" not in home
    assert "See my registration" in home


def test_an_organiser_finds_the_events_they_organise_on_my_events(member: User) -> None:
    from coopsip.events.tests.test_public_pages import make_event

    client = client_for(member)
    assert "Events I organise" not in client.get("/en/events/mine/").content.decode()
    event = make_event()
    event.organiser = member
    event.save()
    assert 'href="/en/events/organise/">Events I organise</a>' in client.get("/en/events/mine/").content.decode()


def test_head_on_the_home_page_answers_200_for_uptime_monitors(db: Any) -> None:
    client = client_for(None)
    response = client.head("/", follow=True)
    assert response.status_code == 200
    assert client.head("/nl/").status_code == 200
    assert client.head("/nl/").content == b""


def test_a_member_logs_in_and_lands_on_their_personal_home(member: User) -> None:
    from conftest import PASSWORD

    client = client_for(None)
    response = client.post("/en/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    # In her own language (Dutch), on "My Smart in Progress".
    assert response["Location"] == "/nl/me/"


# --- The main menu shows only what the person may open (issue 16: no link to a refusal) -----------------


def _menu(user: User | None) -> str:
    html = client_for(user).get("/en/").content.decode()
    assert 'class="icon-sprite"' in html  # the icon sprite is on every page
    return html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_visitor_is_offered_the_sector_networks_and_no_members_only_section(db: Any) -> None:
    menu = _menu(None)
    assert f'href="{reverse("networking:sector_networks")}">Network</a>' in menu
    assert client_for(None).get(reverse("networking:sector_networks")).status_code == 200
    assert "Surveys" not in menu and "Themes and votes" not in menu and "Team area" not in menu


def test_a_linked_non_member_gets_no_link_to_the_members_votes(nonmember: User) -> None:
    menu = _menu(nonmember)
    assert "Themes and votes" not in menu
    assert f'href="{reverse("networking:sector_networks")}">Network</a>' in menu
    assert "Surveys</a>" in menu  # open to every account (each survey says who it is for)
    assert client_for(nonmember).get(reverse("votes:proposals")).status_code == 403


def test_a_member_gets_the_network_search_and_the_votes(member: User) -> None:
    menu = _menu(member)
    for name in ("networking:search", "votes:proposals", "surveys:index"):
        assert f'href="{reverse(name)}"' in menu
        assert client_for(member).get(reverse(name)).status_code == 200, name
    assert "Team area" not in menu


def test_the_team_gets_the_team_area(staff: User) -> None:
    menu = _menu(staff)
    assert f'href="{reverse("core:staff")}">Team area</a>' in menu
    assert client_for(staff).get(reverse("core:staff")).status_code == 200


def test_a_groups_secretary_finds_the_events_they_organise_in_the_header_until_they_step_down(member: User) -> None:
    from coopsip.events import services
    from coopsip.events.models import CircleRole

    link = 'href="/en/events/organise/">Events I organise</a>'
    circle = services.create_circle(name="Werkgroep", members=[(member, CircleRole.MEMBER)])
    assert link not in client_for(member).get("/en/").content.decode()
    services.add_to_circle(circle=circle, user=member, role=CircleRole.SECRETARY)
    client = client_for(member)
    assert link in client.get("/en/").content.decode()
    assert client.get("/en/events/organise/").status_code == 200
    assert client.get("/en/events/organise/new/").status_code == 200  # the group's meetings
    services.add_to_circle(circle=circle, user=member, role=CircleRole.MEMBER)
    assert link not in client_for(member).get("/en/").content.decode()
    services.add_to_circle(circle=circle, user=member, role=CircleRole.MODERATOR)
    services.remove_from_circle(circle=circle, user=member)
    assert link not in client_for(member).get("/en/").content.decode()


def test_my_page_offers_registration_only_to_whom_may_register(member: User, nonmember: User) -> None:
    """Issue 16: a linked non-member of a members-only edition is not sent to a refusal from "My Smart in Progress"."""
    from coopsip.registrations.tests.test_register import make_open_edition

    edition = make_open_edition()
    CurrentEdition.objects.create(country="BE", edition=edition)
    assert not edition.admitted_stakeholder_types  # members only
    assert "S'inscrire à cette édition" not in client_for(nonmember).get("/fr/me/").content.decode()
    page = client_for(member).get("/fr/me/").content.decode()
    assert "S'inscrire à cette édition" in page
