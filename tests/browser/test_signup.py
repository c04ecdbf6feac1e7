"""Journey: a visitor signs up, confirms their email address and is logged in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect

from conftest import PASSWORD

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


def confirmation_link(message: EmailMessage) -> str:
    match = CONFIRM_LINK.search(str(message.body))
    assert match, f"No confirmation link in the email:\n{message.body}"
    return match.group(0)


def test_a_visitor_signs_up_confirms_the_email_and_is_logged_in(
    page: Page, live_server: Any, mailoutbox: list[EmailMessage], settings: Any
) -> None:
    # Every emailed link starts with SITE_URL: here, the test's server.
    settings.SITE_URL = live_server.url
    page.goto("/en/accounts/signup/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert_accessible(page)

    page.get_by_label(label("Email")).fill("ada@example.org")
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password (again)")).fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # Told to check the mailbox, still logged out.
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify Your Email Address")
    expect(page.get_by_text("We have sent an email to you for verification.")).to_be_visible()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)

    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    message = mailoutbox[0]
    assert message.to == ["ada@example.org"]
    link = confirmation_link(message)
    assert link.startswith(f"{live_server.url}/en/"), link

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Email Address")
    expect(page.get_by_role("main")).to_contain_text("ada@example.org")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Confirm").click()

    # Logged in straight away, on their personal home, in English.
    expect(page).to_have_url(f"{live_server.url}/en/me/")
    expect(page.get_by_role("status")).to_contain_text("You have confirmed ada@example.org.")
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("button", name="Log out")).to_be_visible()
    expect(account.get_by_role("link", name="My profile")).to_be_visible()
    expect(account.get_by_role("link", name="Log in")).to_have_count(0)
    assert_accessible(page)
