"""Journey: a person logs in and keeps their profile up to date."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_person
from coopsip.accounts.models import User
from coopsip.places.models import Municipality

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser

EMAIL = "olivier@example.org"


@pytest.fixture
def olivier(transactional_db: Any) -> User:
    # He reads the site in English; the postcode list holds the row he needs.
    Municipality.objects.create(country="BE", postcode="9000", name="Gent", latitude=51.05, longitude=3.72)
    return make_person(EMAIL, first_name="Olivier", last_name="Martin", preferred_language="en")


def log_in(page: Page, live_server: Any) -> None:
    page.goto("/en/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)
    page.get_by_label(label("Email")).fill(EMAIL)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    # Logged in, he lands on his personal home ("My Smart in Progress").
    expect(page).to_have_url(f"{live_server.url}/en/me/")
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


def test_a_person_logs_in_and_edits_their_profile(page: Page, live_server: Any, olivier: User) -> None:
    log_in(page, live_server)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="My profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My profile")
    first_name = page.get_by_label(label("First name"))
    expect(first_name).to_have_value("Olivier")
    assert_accessible(page)

    first_name.fill("Olivia")
    page.get_by_label(label("Postcode")).fill("9000")
    page.get_by_label(label("Place")).fill("Gent")
    page.get_by_role("button", name="Save my profile").click()

    expect(page).to_have_url(f"{live_server.url}/en/me/profile/")
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(page.get_by_label(label("First name"))).to_have_value("Olivia")
    expect(page.get_by_label(label("Postcode"))).to_have_value("9000")
    expect(page.get_by_label(label("Place"))).to_have_value("Gent")
    assert_accessible(page)

    # Saved for good: a fresh visit shows the same values and no message.
    page.goto("/en/me/profile/")
    expect(page.get_by_role("status")).to_have_count(0)
    expect(page.get_by_label(label("First name"))).to_have_value("Olivia")
    expect(page.get_by_label(label("Postcode"))).to_have_value("9000")
    expect(page.get_by_label(label("Place"))).to_have_value("Gent")


def test_an_unknown_postcode_is_refused_next_to_the_field(page: Page, live_server: Any, olivier: User) -> None:
    log_in(page, live_server)
    page.goto("/en/me/profile/")

    page.get_by_label(label("First name")).fill("Olivia")
    page.get_by_label(label("Postcode")).fill("9999")
    page.get_by_label(label("Place")).fill("Nergenshuizen")
    page.get_by_role("button", name="Save my profile").click()

    error = "We do not know this postcode in the country you chose."
    expect(page.get_by_role("alert")).to_contain_text("Please correct the errors below.")
    postcode = page.get_by_label(label("Postcode"))
    # The error sits with the field and is announced with it.
    expect(postcode).to_have_attribute("aria-invalid", "true")
    expect(postcode).to_have_accessible_description(error)
    expect(page.locator(".field", has=postcode)).to_contain_text(error)
    # What he typed is still there to correct.
    expect(postcode).to_have_value("9999")
    expect(page.get_by_label(label("Place"))).to_have_value("Nergenshuizen")
    expect(page.get_by_label(label("First name"))).to_have_value("Olivia")
    expect(page.get_by_role("status")).to_have_count(0)
    assert_accessible(page)

    # Nothing was saved.
    page.goto("/en/me/profile/")
    expect(page.get_by_label(label("First name"))).to_have_value("Olivier")
    expect(page.get_by_label(label("Postcode"))).to_have_value("")
