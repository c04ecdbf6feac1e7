"""Dates on the events pages follow the page's language (issue 16): "Dec" in English, "dec" in Dutch."""

from __future__ import annotations

from django.conf import settings

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events.models import Audience
from coopsip.events.tests.factories import public_online_event
from coopsip.events.tests.test_organise_access import brussels, sign_up


def test_the_organisers_table_writes_the_month_as_the_language_does(staff: User) -> None:
    public_online_event(staff, starts_at=brussels(2030, 12, 17, 19), ends_at=brussels(2030, 12, 17, 21))
    dutch = client_for(staff).get("/nl/events/organise/").content.decode()
    assert "17 dec 2030, 19:00–21:00" in dutch and "Dec" not in dutch.split("<main", 1)[1]
    english = client_for(staff).get("/en/events/organise/").content.decode()
    assert "17 Dec 2030, 19:00–21:00" in english


def test_the_date_badge_capitalises_the_month_in_english_only(staff: User) -> None:
    public_online_event(
        staff, starts_at=brussels(2030, 12, 17, 19), ends_at=brussels(2030, 12, 17, 21), audience=Audience.PUBLIC
    )
    english = client_for(None).get("/en/events/").content.decode()
    assert '<span class="month">Dec</span>' in english
    dutch = client_for(None).get("/nl/events/").content.decode()
    assert '<span class="month">dec</span>' in dutch
    french = client_for(None).get("/fr/events/").content.decode()
    assert '<span class="month">déc</span>' in french


def test_the_organisers_tables_scroll_inside_their_box_on_a_phone(staff: User, member: User) -> None:
    """A narrow screen scrolls the table rather than cutting its words mid-word, and a keyboard can scroll it
    too: the box takes the focus (issue 16)."""
    event = public_online_event(staff)
    sign_up(event, member)
    for url in ("/en/events/organise/", f"/en/events/organise/{event.pk}/attendees/"):
        page = client_for(staff).get(url).content.decode()
        assert '<div class="table-scroll" tabindex="0"><table class="staff-table">' in page, url
    css = (settings.BASE_DIR / "core/static/coopsip/site.css").read_text()
    assert ".table-scroll :is(td, th) { overflow-wrap: break-word; }" in css
