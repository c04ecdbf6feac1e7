"""A member shares an experience on a theme, and Sara (staff) moves it to the theme's resources. axe-core checks
each page visited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.contributions.models import Contribution
from coopsip.editions.models import Edition, Resource, Theme
from coopsip.members.models import MembershipStatus

from .conftest import assert_accessible, label
from .test_editions import log_in_with_totp
from .test_groupspace import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def theme(migration_rows: None, settings: Any, tmp_path: Path) -> Theme:
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    edition = Edition.objects.create(
        slug="2026-2027",
        title_nl="Smart in Progress 2026-2027",
        title_en="Smart in Progress 2026-2027",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=150),
        published_at=timezone.now() - timedelta(days=20),
    )
    return Theme.objects.create(edition=edition, slug="fair-rates", title_nl="Eerlijke tarieven", title_en="Fair rates")


def test_a_member_shares_an_experience_and_staff_move_it_to_the_resources(
    page: Page, live_server: Any, theme: Theme, sara: User, totp_secret: str
) -> None:
    lotte = make_person("lotte@example.org", first_name="Lotte", last_name="Peeters", preferred_language="en")
    link_to_register(lotte, number="400001", status=MembershipStatus.MEMBER)
    log_in(page, lotte.email)
    page.goto(f"/en/editions/{theme.edition.slug}/themes/{theme.slug}/")
    page.get_by_role("link", name="Contributions on this theme: experiences, resources, questions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contributions")
    assert_accessible(page)

    page.get_by_role("radio", name="an experience").check()
    page.get_by_label(label("Title")).fill("How I set my day rate")
    page.get_by_label(label("Your text")).fill("I count preparation and travel, not only the hours on stage.")
    page.get_by_label(label("Language you write in")).select_option("en")
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("How I set my day rate")
    assert_accessible(page)
    contribution = Contribution.objects.get()

    page.context.clear_cookies()
    log_in_with_totp(page, live_server.url, totp_secret)
    page.goto(f"/en/contributions/{contribution.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Move to the theme's resources").click()
    expect(page.get_by_role("main")).to_contain_text("now among the theme's resources")
    expect(page.get_by_role("main")).to_contain_text("Among the theme's resources")
    assert Resource.objects.filter(theme=theme, title_en="How I set my day rate").exists()

    page.goto(f"/en/editions/{theme.edition.slug}/themes/{theme.slug}/")
    expect(page.get_by_role("region", name="Resources")).to_contain_text("How I set my day rate")
    assert_accessible(page)
