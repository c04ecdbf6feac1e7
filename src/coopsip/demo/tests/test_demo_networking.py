"""The demo's networking: what a newcomer finds after `make run`."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.demo.networking import DEMO_MEMBER, load_networking
from coopsip.networking.models import ContactThread, Listing, ListingStatus, Profile, Report
from coopsip.networking.selectors import matches_for

pytestmark = pytest.mark.django_db


def test_forty_profiles_and_eighty_offers_and_needs_in_both_countries(demo: dict[str, int]) -> None:
    demo_people = Profile.objects.exclude(user__email=DEMO_MEMBER)
    assert demo_people.count() == 40
    assert demo_people.filter(is_visible=False).count() == 4
    listings = Listing.objects.exclude(author__email=DEMO_MEMBER)
    assert listings.count() == 80
    assert set(listings.values_list("municipality__country", flat=True)) == {"BE", "FR"}
    assert listings.values("sectors").distinct().count() >= 6


def test_every_state_is_shown(demo: dict[str, int]) -> None:
    assert Listing.objects.filter(status=ListingStatus.HIDDEN).exclude(hidden_reason="").exists()
    assert Listing.objects.filter(status=ListingStatus.WITHDRAWN).exists()
    assert any(listing.is_expired() for listing in Listing.objects.filter(status=ListingStatus.PUBLISHED))
    assert Report.objects.filter(handled_at=None).exists()
    assert not OutgoingEmail.objects.filter(key__startswith="networking:").exists()  # made-up people: no email


def test_the_demo_members_need_finds_dutch_speaking_photographers_near_gent(demo: dict[str, int]) -> None:
    member = User.objects.get(email=DEMO_MEMBER)
    need = Listing.objects.get(author=member, kind="need")
    offers, people = matches_for(need)
    assert len(offers) >= 3 and len(people) >= 3
    best = offers[0]
    codes = {reason.code for reason in best.match.reasons}
    assert {"same_skill", "distance", "language"} <= codes
    page = client_for(member).get(reverse("networking:detail", kwargs={"pk": need.pk})).content.decode()
    assert "same skill: Photography" in page and "speaks Dutch" in page
    assert ContactThread.objects.filter(sender=member, answered_at__isnull=False).exists()


def test_three_projects_with_partner_meetings_and_a_partner_meeting_point_at_the_kop(demo: dict[str, int]) -> None:
    from coopsip.events.models import EventKind, Series
    from coopsip.networking.models import PartnerMeeting, Project

    assert Project.objects.count() == 3
    assert PartnerMeeting.objects.filter(event__kind=EventKind.PARTNER_MEETING).count() == 3
    assert all(project.team.count() == 3 for project in Project.objects.all())
    series = Series.objects.get(title_en="Partner Meeting Point")
    assert series.events.count() == 6
    assert {event.place.name for event in series.events.all()} == {"KOP"}


def test_loading_twice_adds_nothing(demo: dict[str, int]) -> None:
    before = (Profile.objects.count(), Listing.objects.count(), ContactThread.objects.count())
    load_networking()
    assert (Profile.objects.count(), Listing.objects.count(), ContactThread.objects.count()) == before


def test_two_sector_networks_named_in_three_languages_with_a_vademecum_and_requests(demo: dict[str, int]) -> None:
    from django.utils.translation import override

    from coopsip.groupspace.models import Document
    from coopsip.networking.models import JoinRequest, SectorNetwork

    networks = list(SectorNetwork.objects.order_by("pk"))
    assert len(networks) == 2
    with override("fr"):
        assert {str(n.name) for n in networks} == {"Réseau du graphisme", "Réseau audiovisuel"}
    for network in networks:
        assert Document.objects.filter(circle=network.circle).count() >= 2
        assert network.requests.filter(status=JoinRequest.Status.WAITING).exists()
        assert network.requests.filter(status=JoinRequest.Status.DECLINED).exists()
    page = client_for(None).get(f"/en/network/sectors/{networks[0].pk}/").content.decode()
    assert "Graphic design network" in page


def test_networking_events_of_all_four_levels_with_attendance_fill_the_dashboard(demo: dict[str, int]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coopsip.networking import followup
    from coopsip.networking.models import EventFollowUp

    assert set(EventFollowUp.objects.values_list("level", flat=True)) == {"local", "regional", "federal", "european"}
    today = timezone.localdate()
    rows = followup.event_rows(followup.Filters(start=today - timedelta(days=800), end=today))
    levels = {group.key: group for group in followup.group_by(rows, "level")}
    assert set(levels) == {"local", "regional", "federal", "european"}
    assert all(group.attendance > 0 for group in levels.values())
    assert any(row.first_time for row in rows) and any(row.returning for row in rows)
    assert followup.upcoming()


def test_events_held_by_others_show_several_sectors_and_a_quarter_beside_the_one_before(demo: dict[str, int]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coopsip.networking import followup
    from coopsip.networking.models import EventFollowUp

    recorded = EventFollowUp.objects.get(event__title="Creative Europe info day")
    assert recorded.level == "european" and recorded.all_sectors() == ["audiovisual", "performing_arts", "music"]
    assert recorded.headcount == 85 and recorded.organised_by == "Creative Europe Desk"
    # The quarter of the Creative Europe day (8 days ago) and the one before it.
    start, end = followup.period_bounds("quarter", timezone.localdate() - timedelta(days=8))
    this_quarter = followup.Filters(start=start, end=end)
    before = followup.previous_period(this_quarter, "quarter")
    assert followup.totals(followup.event_rows(this_quarter)).attendance > 0
    assert followup.totals(followup.event_rows(before)).attendance > 0


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_partner_meeting_is_named_in_its_projects_language_and_marked_elsewhere(
    demo: dict[str, int], language: str
) -> None:
    from coopsip.networking.models import PartnerMeeting

    meeting = PartnerMeeting.objects.select_related("event").get(project__title="Atelier partagé de sérigraphie")
    member = User.objects.get(email="vennoot@demo.coopsip.org")
    with translation.override(language):
        url = reverse("events:detail", kwargs={"pk": meeting.event.pk})
    page = client_for(member).get(url).content.decode()
    title = "Rencontre de partenaires\xa0: Atelier partagé de sérigraphie"  # as the project page names it
    assert "Partner meeting:" not in page
    if language == "fr":
        assert f"<h1>{title}" in page
    else:  # the page says the title is the French one
        assert f'<span lang="fr">{title}</span> <span class="fallback-note">(FR)</span>' in page
