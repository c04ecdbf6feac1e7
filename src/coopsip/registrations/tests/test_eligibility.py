"""Who may register, and when: each refusal says why and what to do, in the page's language.

Registration windows are instants in Brussels time: registration is open
from the opening instant included to the closing instant excluded, in
winter (UTC+1) as in summer time (UTC+2).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.editions.phases import BRUSSELS
from coopsip.registrations.eligibility import person_refusal, refusal, window_refusal
from coopsip.registrations.models import Registration
from coopsip.registrations.tests.test_register import form_data, make_open_edition, make_places, register_url

pytestmark = pytest.mark.django_db

MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
def edition(db: Any) -> Edition:
    make_places()
    return make_open_edition()


def _close(edition: Edition, *, opens: datetime, closes: datetime) -> Edition:
    Edition.objects.filter(pk=edition.pk).update(registration_opens_at=opens, registration_closes_at=closes)
    edition.refresh_from_db()
    return edition


# --- The person ------------------------------------------------------------------------------------


def test_a_person_whose_account_is_not_linked_is_told_to_link_it(outsider: User, edition: Edition) -> None:
    refused = person_refusal(edition, outsider)
    assert refused is not None and refused.code == "not_linked"
    response = client_for(outsider).get(register_url(edition))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your account is not linked to the member register yet." in html
    assert "Link it with your member number; then come back to register." in html
    assert f'href="{reverse("members:verify")}"' in html


def test_a_non_member_is_told_the_edition_is_for_members_and_how_to_become_one(
    nonmember: User, edition: Edition
) -> None:
    refused = person_refusal(edition, nonmember)
    assert refused is not None and refused.code == "members_only"
    html = client_for(nonmember).get(register_url(edition)).content.decode()
    assert "This edition is open to members (shareholders) of the cooperative only." in html
    assert "Become a member of the cooperative to take part; ask sip@example.org how." in html
    assert 'name="theme_1"' not in html


def test_a_non_member_client_may_register_when_the_edition_admits_clients(nonmember: User, edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(admits_clients=True)
    nonmember.register_entry.is_client = True
    nonmember.register_entry.save()
    client = client_for(nonmember)
    assert 'name="theme_1"' in client.get(register_url(edition)).content.decode()
    assert client.post(register_url(edition), form_data(edition)).status_code == 302
    assert Registration.objects.filter(user=nonmember).count() == 1


def test_a_non_member_who_is_not_one_of_the_admitted_stakeholders_is_told_so(nonmember: User, edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(admits_clients=True)
    nonmember.register_entry.is_partner = True
    nonmember.register_entry.save()
    response = client_for(nonmember).get(register_url(edition))
    html = response.content.decode()
    assert response.status_code == 403
    assert "open to members and to some stakeholders" in html
    assert "If the register is wrong, write to sip@example.org." in html


def test_a_member_is_never_refused_as_a_person(member: User, edition: Edition) -> None:
    assert person_refusal(edition, member) is None


def test_a_refused_post_gets_the_same_explanation_and_saves_nothing(nonmember: User, edition: Edition) -> None:
    response = client_for(nonmember).post(register_url(edition), form_data(edition))
    assert response.status_code == 403
    assert "open to members (shareholders) of the cooperative only" in response.content.decode()
    assert Registration.objects.count() == 0


# --- The calendar ----------------------------------------------------------------------------------


def test_before_opening_the_person_is_told_when_to_come_back(member: User, edition: Edition) -> None:
    now = timezone.now()
    _close(edition, opens=now + timedelta(days=3), closes=now + timedelta(days=30))
    response = client_for(member).get(register_url(edition))
    html = response.content.decode()
    assert response.status_code == 200  # an answer, not an error: come back later
    assert "Registration opens on" in html
    assert "Come back then. Meanwhile, read about the themes and the calendar." in html
    assert f'href="{reverse("editions:detail", kwargs={"slug": edition.slug})}"' in html
    assert 'name="theme_1"' not in html
    assert client_for(member).post(register_url(edition), form_data(edition)).status_code == 403
    assert Registration.objects.count() == 0


def test_after_closing_the_person_is_told_it_closed_and_what_they_can_do(member: User, edition: Edition) -> None:
    now = timezone.now()
    _close(edition, opens=now - timedelta(days=30), closes=now - timedelta(days=1))
    response = client_for(member).get(register_url(edition))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Registration closed on" in html
    assert "Follow the edition&#x27;s news, or take part in the next edition." in html
    assert 'name="theme_1"' not in html


def test_an_edition_without_registration_dates_takes_no_registrations(member: User, edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(registration_opens_at=None, registration_closes_at=None)
    html = client_for(member).get(register_url(edition)).content.decode()
    assert "This edition takes no registrations here." in html
    assert client_for(member).post(register_url(edition), form_data(edition)).status_code == 403


def test_the_calendar_is_told_before_who_the_person_is(nonmember: User, edition: Edition) -> None:
    now = timezone.now()
    _close(edition, opens=now - timedelta(days=30), closes=now - timedelta(days=1))
    refused = refusal(edition, nonmember, now)
    assert refused is not None and refused.code == "closed"


# --- Window boundaries, in Brussels time -----------------------------------------------------------


def test_registration_opens_at_the_exact_instant_in_brussels_winter_time(edition: Edition) -> None:
    opens = datetime(2026, 1, 12, 9, 0, tzinfo=BRUSSELS)  # 08:00 UTC
    edition = _close(edition, opens=opens, closes=datetime(2026, 2, 1, 23, 59, tzinfo=BRUSSELS))
    refused = window_refusal(edition, opens - MICROSECOND)
    assert refused is not None and refused.code == "not_open"
    assert window_refusal(edition, opens) is None
    assert window_refusal(edition, datetime(2026, 1, 12, 8, 0, tzinfo=UTC)) is None
    refused = window_refusal(edition, datetime(2026, 1, 12, 7, 59, 59, tzinfo=UTC))
    assert refused is not None and refused.code == "not_open"
    # The date is told in Brussels time, not in UTC.
    assert refused.reason == "Registration opens on 12 January 2026, 09:00."


def test_registration_closes_at_the_exact_instant_in_brussels_summer_time(edition: Edition) -> None:
    closes = datetime(2026, 6, 30, 23, 59, tzinfo=BRUSSELS)  # 21:59 UTC: summer time is UTC+2
    edition = _close(edition, opens=datetime(2026, 6, 1, 9, 0, tzinfo=BRUSSELS), closes=closes)
    assert window_refusal(edition, closes - MICROSECOND) is None
    refused = window_refusal(edition, closes)
    assert refused is not None and refused.code == "closed"
    assert window_refusal(edition, datetime(2026, 6, 30, 21, 58, 59, tzinfo=UTC)) is None
    refused = window_refusal(edition, datetime(2026, 6, 30, 21, 59, tzinfo=UTC))
    assert refused is not None and refused.code == "closed"
    assert refused.reason == "Registration closed on 30 June 2026, 23:59."


def test_a_window_across_the_change_to_summer_time_keeps_its_brussels_instants(edition: Edition) -> None:
    # Summer time starts on 29 March 2026 at 02:00: the window opens in winter and closes in summer.
    opens = datetime(2026, 3, 28, 12, 0, tzinfo=BRUSSELS)
    closes = datetime(2026, 3, 29, 12, 0, tzinfo=BRUSSELS)
    edition = _close(edition, opens=opens, closes=closes)
    # Stored as instants: 23 hours apart, not the 24 a wall clock would say.
    assert edition.registration_closes_at - edition.registration_opens_at == timedelta(hours=23)
    assert window_refusal(edition, datetime(2026, 3, 29, 9, 59, 59, tzinfo=UTC)) is None
    assert window_refusal(edition, datetime(2026, 3, 29, 10, 0, tzinfo=UTC)) is not None


def test_the_refusal_is_written_in_the_pages_language(member: User, edition: Edition) -> None:
    with translation.override("fr"):
        refused = window_refusal(
            _close(
                edition,
                opens=datetime(2026, 6, 1, 9, 0, tzinfo=BRUSSELS),
                closes=datetime(2026, 6, 30, 23, 59, tzinfo=BRUSSELS),
            ),
            datetime(2026, 7, 1, 0, 0, tzinfo=BRUSSELS),
        )
    assert refused is not None and "30 juin 2026, 23:59" in refused.reason

    closes = timezone.now() - timedelta(days=1)
    _close(edition, opens=closes - timedelta(days=30), closes=closes)
    with translation.override("fr"):
        day = date_format(timezone.localtime(closes), "j F Y")
    html = client_for(member).get(register_url(edition, "fr")).content.decode()
    assert '<html lang="fr">' in html
    assert day in html


def test_staff_bypassing_the_dates_still_cannot_register_someone_who_may_not_take_part(
    nonmember: User, edition: Edition
) -> None:
    from coopsip.registrations.models import CommitmentKind
    from coopsip.registrations.services import RegistrationInput, RegistrationRefused, submit_registration

    now = timezone.now()
    _close(edition, opens=now - timedelta(days=30), closes=now - timedelta(days=1))
    data = RegistrationInput(
        theme_ids=[edition.themes.first().pk],
        mode="either",
        office=None,
        municipality=None,
        languages=["fr"],
        slots=[(0, "evening")],
        accepted=frozenset(CommitmentKind.values),
    )
    with pytest.raises(RegistrationRefused) as refused:
        submit_registration(user=nonmember, edition=edition, data=data, check_window=False)
    assert refused.value.refusal.code == "members_only"
    assert not Registration.objects.exists()
