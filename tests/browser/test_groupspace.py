"""Journeys through a group's space: the secretary uploads a document and starts a discussion; a member
answers the date poll and sees the best date. axe-core checks each page visited.

The group and its poll are made with the services, with dates relative to now, so that the proposed dates
are always to come whatever day the tests run.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.events import services as events_services
from coopsip.events.models import CircleRole
from coopsip.groupspace import services
from coopsip.groupspace.models import DateAnswer, Document, Thread
from coopsip.members.models import MembershipStatus

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser


def person(email: str, first_name: str, *, number: str) -> User:
    user = make_person(email, first_name=first_name, last_name="Claes", preferred_language="en")
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def log_in(page: Page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


@pytest.fixture
def group(migration_rows: None, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    sofie = person("sofie@example.org", "Sofie", number="300001")
    jan = person("jan@example.org", "Jan", number="300002")
    ines = person("ines@example.org", "Ines", number="300003")
    circle = events_services.create_circle(
        name="Circular economy · Gent",
        members=[(sofie, CircleRole.SECRETARY), (jan, CircleRole.MEMBER), (ines, CircleRole.MEMBER)],
    )
    start = (timezone.now() + timedelta(days=9)).replace(hour=17, minute=0, second=0, microsecond=0)
    poll = services.create_poll(
        by=sofie,
        circle=circle,
        title="Second meeting: ideas",
        options=[(start, start + timedelta(hours=3)), (start + timedelta(days=2), start + timedelta(days=2, hours=3))],
        notify=False,
    )
    return {"circle": circle, "secretary": sofie, "member": jan, "other": ines, "poll": poll}


def test_the_secretary_uploads_a_document_and_starts_a_discussion(
    page: Page, group: dict[str, Any], tmp_path: Path
) -> None:
    circle = group["circle"]
    log_in(page, group["secretary"].email)
    page.goto(f"/en/group-space/{circle.pk}/documents/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Documents")
    expect(page.get_by_role("navigation", name="Group space").get_by_role("link", name="Documents")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    # A file that lies about its type is refused with the reason, and nothing is added.
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"<script>alert(1)</script>")
    page.get_by_label(label("File")).set_input_files(str(fake))
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("does not match its extension (.pdf)")
    assert not Document.objects.exists()
    assert_accessible(page)

    real = tmp_path / "minutes-1.pdf"
    real.write_bytes(b"%PDF-1.4\n% minutes of the first meeting\n")
    page.get_by_label(label("Title")).fill("Minutes of the first meeting")
    page.get_by_label(label("File")).set_input_files(str(real))
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("“Minutes of the first meeting” is added.")
    row = page.get_by_role("row").filter(has_text="Minutes of the first meeting")
    expect(row).to_contain_text("Sofie Claes")
    with page.expect_download() as download:
        row.get_by_role("link", name="Minutes of the first meeting", exact=True).click()
    assert download.value.suggested_filename == "minutes-1.pdf"
    assert_accessible(page)

    page.get_by_role("navigation", name="Group space").get_by_role("link", name="Discussion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Discussion")
    page.get_by_label(label("Subject")).fill("Agenda of the second meeting")
    page.get_by_label(label("Message")).fill("1. Ideas\n2. **Experts** to invite\n\n[bad](javascript:alert(1))")
    page.get_by_role("button", name="Start the discussion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda of the second meeting")
    message = page.get_by_role("article")
    expect(message.locator(".prose strong")).to_have_text("Experts")
    expect(message.locator("a[href^='javascript']")).to_have_count(0)
    assert Thread.objects.get().post_count == 1
    assert_accessible(page)


def test_a_member_answers_the_date_poll_and_sees_the_best_date(page: Page, group: dict[str, Any]) -> None:
    circle, poll = group["circle"], group["poll"]
    first, second = poll.options.order_by("starts_at")
    # Ines answered already: yes for the second date only.
    services.answer_poll(by=group["other"], poll=poll, answers={first.pk: "no", second.pk: "yes"})

    log_in(page, group["member"].email)
    page.goto(f"/en/group-space/{circle.pk}/dates/")
    page.get_by_role("link", name="Second meeting: ideas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Second meeting: ideas")
    # A member does not choose the date: only the moderator and the secretary do.
    expect(page.get_by_role("heading", name="Choose the date")).to_have_count(0)
    assert_accessible(page)

    answers = page.get_by_role("region", name="Your answers")
    groups = answers.get_by_role("group")
    expect(groups).to_have_count(2)
    groups.nth(0).get_by_label("if need be").check()
    groups.nth(1).get_by_label("yes").check()
    answers.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status").first).to_contain_text("Your answers are saved.")

    best = page.get_by_role("region", name="Best dates").get_by_role("row").nth(1)
    expect(best).to_contain_text("(best)")
    expect(best.get_by_role("cell").first).to_have_text("2")  # two yes for the second date
    grid = page.get_by_role("region", name="Who answered what")
    expect(grid.get_by_role("row", name=re.compile("Jan Claes"))).to_contain_text("if need be")
    assert dict(DateAnswer.objects.filter(user=group["member"]).values_list("option_id", "answer")) == {
        first.pk: "maybe",
        second.pk: "yes",
    }
    assert_accessible(page)
