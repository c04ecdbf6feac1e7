"""Review of issue 16 on /me/: a sector network's meetings are there, dated items follow their dates across
apps, and a text in another language than the reader's says so ("(NL)", with its ``lang``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Attendance, Audience, CircleRole
from coopsip.recommendations import services as recommendation_services
from coopsip.recommendations.tests.conftest import edition, group, groups, secretary, user

pytestmark = pytest.mark.django_db

__all__ = ["edition", "group", "groups", "secretary"]  # the recommendations' groups, used here as fixtures


def _event(titles: dict[str, str], days: int, **fields: Any) -> Any:
    start = timezone.now() + timedelta(days=days)
    return services.create_event(
        by=None,
        data=services.EventInput(
            titles=titles,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            attendance=Attendance.ONLINE,
            video_url="https://video.example.org/m",
            **fields,
        ),
    )


def _sector_network(member: User) -> Any:
    from coopsip.networking.models import Sector
    from coopsip.networking.services import create_sector_network

    coordinator = User.objects.create_user(email="coord@example.org", password="x")
    circle = services.create_circle(
        name="Netwerk grafisch ontwerp", members=[(coordinator, CircleRole.MODERATOR), (member, CircleRole.MEMBER)]
    )
    create_sector_network(
        circle=circle,
        sector=Sector.objects.order_by("pk").first(),
        names={"nl": "Netwerk grafisch ontwerp", "fr": "Réseau graphisme", "en": "Graphic design network"},
    )
    return circle


# --- (a) A sector network's meetings ----------------------------------------------------------------------


def test_my_sector_networks_next_meeting_is_on_my_home(member: User) -> None:
    circle = _sector_network(member)
    _event({"en": "Portfolio evening"}, 5, audience=Audience.CIRCLE, circle=circle)

    html = client_for(member).get("/en/me/").content.decode()

    assert "Portfolio evening" in html and "You have a seat." in html


def test_my_working_groups_meeting_is_shown_once_as_the_groups_next_meeting(group: Any) -> None:
    assert group.circle_id is not None
    _event({"en": "Second meeting"}, 5, audience=Audience.CIRCLE, circle=group.circle)

    html = client_for(user("m2@example.org")).get("/en/me/").content.decode()

    assert "Next meeting of my group" in html
    assert html.count("Second meeting") == 1


# --- (b) Dated items by date across apps, the most urgent first -------------------------------------------


def test_dated_items_follow_their_dates_whatever_app_gives_them(group: Any) -> None:
    m2 = user("m2@example.org")
    _event({"en": "Group meeting in ten days"}, 10, audience=Audience.CIRCLE, circle=group.circle)
    soon = _event({"en": "Breakfast in three days"}, 3, audience=Audience.MEMBERS)
    services.sign_up(event_id=soon.pk, user=m2, notify=False)

    html = client_for(m2).get("/en/me/").content.decode()

    # The groups' block comes before the events' among apps; the dates decide here.
    assert html.index("Breakfast in three days") < html.index("Group meeting in ten days")


def test_what_is_urgent_still_comes_before_a_sooner_meeting(group: Any, secretary: User) -> None:
    m2 = user("m2@example.org")
    soon = _event({"en": "Breakfast tomorrow"}, 1, audience=Audience.MEMBERS)
    services.sign_up(event_id=soon.pk, user=m2, notify=False)
    draft = recommendation_services.create_draft(by=secretary, group=group, title="Shared tools", language="en")
    recommendation_services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=5)
    )

    html = client_for(m2).get("/en/me/").content.decode()

    assert html.index("A consent round closes") < html.index("Breakfast tomorrow")


# --- (c) A text in another language than the reader's is marked -------------------------------------------


def test_an_events_title_in_dutch_only_is_marked_on_the_french_home(member: User) -> None:
    event = _event({"nl": "Ontbijt van de vennoten"}, 3, audience=Audience.MEMBERS)
    services.sign_up(event_id=event.pk, user=member, notify=False)
    client = client_for(member)

    french = client.get("/fr/me/").content.decode()
    dutch = client.get("/nl/me/").content.decode()

    assert '<span lang="nl">Ontbijt van de vennoten</span> <span class="fallback-note">(NL)</span>' in french
    assert "Ontbijt van de vennoten" in dutch and "(NL)" not in dutch


def test_a_recommendation_written_in_french_is_marked_in_the_consent_item_on_the_dutch_home(
    group: Any, secretary: User
) -> None:
    draft = recommendation_services.create_draft(
        by=secretary, group=group, title="Un fonds pour les outils partagés", language="fr"
    )
    recommendation_services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3)
    )
    client = client_for(user("m2@example.org"))

    dutch = client.get("/nl/me/").content.decode()
    french = client.get("/fr/me/").content.decode()

    marked = '<span lang="fr">Un fonds pour les outils partagés</span> <span class="fallback-note">(FR)</span>'
    assert marked in dutch
    assert "Un fonds pour les outils partagés" in french and "(FR)" not in french


def test_a_synthesis_title_in_dutch_only_is_marked_on_the_french_home(group: Any) -> None:
    from coopsip.recommendations.models import Synthesis, SynthesisStatus

    Synthesis.objects.create(
        edition=group.edition,
        theme=group.theme,
        title_nl="Synthese zorg",
        comments_open=True,
        status=SynthesisStatus.WITH_GROUPS,
    )

    french = client_for(user("m2@example.org")).get("/fr/me/").content.decode()

    assert '<span lang="nl">Synthese zorg</span> <span class="fallback-note">(NL)</span>' in french


def test_a_title_with_markup_is_shown_as_text(member: User) -> None:
    event = _event({"nl": "<b>Ontbijt</b> & koffie"}, 3, audience=Audience.MEMBERS)
    services.sign_up(event_id=event.pk, user=member, notify=False)

    french = client_for(member).get("/fr/me/").content.decode()

    assert "&lt;b&gt;Ontbijt&lt;/b&gt; &amp; koffie" in french and "<b>Ontbijt</b>" not in french
