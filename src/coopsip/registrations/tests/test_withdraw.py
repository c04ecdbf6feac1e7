"""A person's own registration page, and withdrawing (at any time; staff are told)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.registrations.models import Registration, RegistrationStatus
from coopsip.registrations.tests.test_register import (
    form_data,
    make_open_edition,
    make_places,
    mine_url,
    register_url,
    register_with_service,
)

pytestmark = pytest.mark.django_db

# The page's frame (session, user, the menus' permissions: 6), then the registration with its edition and
# places, its preferences, their themes, its slots, its commitments, and the register entry (may they change it?).
MINE_QUERIES = 12


def withdraw_url(edition: Edition) -> str:
    return f"/en/registrations/{edition.slug}/withdraw/"


@pytest.fixture
def edition(db: Any) -> Edition:
    make_places()
    return make_open_edition()


@pytest.fixture
def registered(member: User, edition: Edition) -> Registration:
    """Lotte registered through the form."""
    response = client_for(member).post(
        register_url(edition), form_data(edition, volunteers_as_secretary="on", languages=["nl", "fr"])
    )
    assert response.status_code == 302
    return Registration.objects.get(user=member, edition=edition)


def _close_registration(edition: Edition) -> None:
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        registration_opens_at=now - timedelta(days=30), registration_closes_at=now - timedelta(minutes=1)
    )


# --- My registration -------------------------------------------------------------------------------


def test_the_owner_sees_a_summary_of_their_registration(
    member: User, registered: Registration, django_assert_num_queries: Any
) -> None:
    client, url = client_for(member), mine_url(registered.edition)
    with django_assert_num_queries(MINE_QUERIES):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<ol><li>Housing</li><li>Work</li></ol>" in html
    assert "Either" in html
    assert "Ghent" in html and "9000 Gent" in html
    assert "Dutch, French" in html
    assert "Monday evening, Wednesday evening, Saturday morning" in html
    assert "You volunteer as moderator and as secretary." in html
    assert "I chair my local association." in html
    assert "I take part as an unpaid volunteer." in html
    assert html.count("(accepted on ") == 3
    assert "I come by wheelchair." in html
    assert f'href="{register_url(registered.edition)}"' in html  # change it while open
    assert f'action="{withdraw_url(registered.edition)}"' in html


def test_the_change_link_goes_when_registration_closes_but_withdrawing_stays(
    member: User, registered: Registration
) -> None:
    _close_registration(registered.edition)
    html = client_for(member).get(mine_url(registered.edition)).content.decode()
    assert f'href="{register_url(registered.edition)}"' not in html
    assert "your answers can no longer be changed here" in html
    assert f'action="{withdraw_url(registered.edition)}"' in html


def test_a_person_without_a_registration_gets_a_404(member: User, edition: Edition) -> None:
    assert client_for(member).get(mine_url(edition)).status_code == 404
    assert client_for(member).post(withdraw_url(edition)).status_code == 404


def test_nobody_else_sees_the_registration_and_a_visitor_is_sent_to_log_in(
    personas: dict[str, User | None], registered: Registration
) -> None:
    url = mine_url(registered.edition)
    for name, user in personas.items():
        response = client_for(user).get(url)
        if name == "visitor":
            assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
        elif name == "member":
            assert response.status_code == 200
        else:
            # Not even staff through this page: it is the person's own page (staff have their list).
            assert response.status_code == 404, name
            assert "I come by wheelchair." not in response.content.decode()


def test_the_registration_page_only_answers_get(member: User, registered: Registration) -> None:
    assert client_for(member).post(mine_url(registered.edition)).status_code == 405


# --- Withdrawing -----------------------------------------------------------------------------------


def test_a_member_withdraws_with_a_reason_and_staff_are_told(
    member: User, registered: Registration, on_commit: Any
) -> None:
    client = client_for(member)
    with on_commit():
        response = client.post(withdraw_url(registered.edition), {"reason": "I moved to Canada.", "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == mine_url(registered.edition)
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.WITHDRAWN
    assert registered.withdrawn_at is not None
    assert registered.withdrawal_reason == "I moved to Canada."
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["sip@example.org"]  # the edition's contact address
    assert "Lotte Peeters" in email.subject
    assert "lotte@example.org" in email.body and "I moved to Canada." in email.body
    html = client.get(response["Location"]).content.decode()
    assert "Your registration is withdrawn." in html
    assert "You withdrew on" in html
    assert f'action="{withdraw_url(registered.edition)}"' not in html


def test_withdrawing_without_a_reason_tells_staff_no_reason_was_given(
    member: User, registered: Registration, on_commit: Any, settings: Any
) -> None:
    Edition.objects.filter(pk=registered.edition.pk).update(contact_email="")
    with on_commit():
        client_for(member).post(withdraw_url(registered.edition), {"reason": "", "confirm": "yes"})
    assert mail.outbox[0].to == [settings.COOPSIP_CONTACT_EMAIL]
    # Staff emails go out in the site's default language (Dutch).
    with translation.override("nl"):
        assert gettext("No reason given.") in mail.outbox[0].body


def test_withdrawing_twice_changes_nothing_and_tells_staff_once(
    member: User, registered: Registration, on_commit: Any
) -> None:
    client = client_for(member)
    with on_commit():
        client.post(withdraw_url(registered.edition), {"reason": "First", "confirm": "yes"})
        client.post(withdraw_url(registered.edition), {"reason": "Second", "confirm": "yes"})
    registered.refresh_from_db()
    assert registered.withdrawal_reason == "First"
    assert len(mail.outbox) == 1


def test_a_person_may_withdraw_after_registration_closed(member: User, registered: Registration) -> None:
    _close_registration(registered.edition)
    assert client_for(member).post(withdraw_url(registered.edition), {"confirm": "yes"}).status_code == 302
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.WITHDRAWN


def test_a_too_long_reason_is_refused_keeping_what_was_typed(member: User, registered: Registration) -> None:
    reason = "Too long. " * 201
    response = client_for(member).post(withdraw_url(registered.edition), {"reason": reason, "confirm": "yes"})
    assert response.status_code == 400
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert "Too long. Too long." in response.content.decode()
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.SUBMITTED


def test_an_empty_post_withdraws_nothing_and_asks_to_confirm(
    member: User, registered: Registration, on_commit: Any
) -> None:
    with on_commit():
        response = client_for(member).post(withdraw_url(registered.edition), {"reason": "A link posted this."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was withdrawn: press “Withdraw my registration” to confirm." in html
    assert "A link posted this." in html  # what was typed is kept
    assert f'action="{withdraw_url(registered.edition)}"' in html
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.SUBMITTED
    assert mail.outbox == []
    assert client_for(member).post(withdraw_url(registered.edition)).status_code == 400
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.SUBMITTED


def test_withdraw_only_accepts_post(member: User, registered: Registration) -> None:
    assert client_for(member).get(withdraw_url(registered.edition)).status_code == 405
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.SUBMITTED


def test_nobody_can_withdraw_someone_elses_registration(
    personas: dict[str, User | None], registered: Registration
) -> None:
    for name, user in personas.items():
        if name == "member":
            continue
        response = client_for(user).post(withdraw_url(registered.edition), {"reason": "Forged", "confirm": "yes"})
        assert response.status_code == (302 if user is None else 404), name
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.SUBMITTED


def test_a_person_who_withdrew_may_register_again_while_registration_is_open(
    member: User, registered: Registration
) -> None:
    client = client_for(member)
    client.post(withdraw_url(registered.edition), {"confirm": "yes"})
    html = client.get(mine_url(registered.edition)).content.decode()
    assert "Register again" in html
    html = client.get(register_url(registered.edition)).content.decode()
    assert "I come by wheelchair." in html  # the form remembers the answers
    response = client.post(register_url(registered.edition), form_data(registered.edition))
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.status == RegistrationStatus.SUBMITTED and registered.withdrawn_at is None
    assert "You are registered again." in client.get(response["Location"]).content.decode()
    assert Registration.objects.filter(user=member).count() == 1


def test_after_closing_the_edition_page_still_leads_to_my_registration(member: User, edition: Edition) -> None:
    register_with_service(member, edition)
    now = timezone.now()
    Edition.objects.filter(pk=edition.pk).update(
        registration_opens_at=now - timedelta(days=40), registration_closes_at=now - timedelta(days=1)
    )
    page = client_for(member).get(f"/en/editions/{edition.slug}/").content.decode()
    assert f"/en/registrations/{edition.slug}/mine/" in page
