from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for, make_person
from coopsip.accounts.models import User
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.members.services import VerificationFailed, link_by_staff, verify_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db: Any) -> RegisterEntry:
    return RegisterEntry.objects.create(
        member_number="400001",
        first_name="Olivier",
        last_name="Martin",
        email="olivier@example.org",
        date_of_birth=date(1980, 6, 1),
        status=MembershipStatus.MEMBER,
    )


def test_a_matching_number_and_email_makes_the_account_a_member(outsider: User, entry: RegisterEntry) -> None:
    client = client_for(outsider)
    response = client.post(reverse("members:verify"), {"member_number": "400001"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.user == outsider
    assert outsider.has_perm("members.verify_membership") is False
    response = client.get(reverse("members:verify"))
    assert b"400001" in response.content


def test_a_matching_date_of_birth_is_enough_when_the_email_differs(db: Any, entry: RegisterEntry) -> None:
    person = make_person("o.martin@elsewhere.example")
    verify_membership(user=person, member_number="400001", date_of_birth=date(1980, 6, 1))
    entry.refresh_from_db()
    assert entry.user == person


def test_an_unknown_number_says_so_and_what_to_do(outsider: User, entry: RegisterEntry) -> None:
    response = client_for(outsider).post("/en/members/verify/", {"member_number": "999999"})
    assert response.status_code == 400
    assert b"We could not match member number 999999" in response.content
    assert b"cooperatief.leven@example.org" in response.content
    assert b'value="999999"' in response.content
    assert b'aria-invalid="true"' in response.content


def test_an_unknown_number_is_explained_in_french(outsider: User, entry: RegisterEntry) -> None:
    response = client_for(outsider).post("/fr/members/verify/", {"member_number": "999999"})
    assert (
        "numéro d’associé 999999" in response.content.decode() or "numéro d'associé 999999" in response.content.decode()
    )


def test_a_number_with_neither_email_nor_birth_date_matching_is_refused(db: Any, entry: RegisterEntry) -> None:
    person = make_person("someone@example.org")
    with pytest.raises(VerificationFailed) as failure:
        verify_membership(user=person, member_number="400001", date_of_birth=date(1981, 6, 1))
    assert failure.value.code == "no_match"
    entry.refresh_from_db()
    assert entry.user is None


def test_an_unverified_email_does_not_count(db: Any, entry: RegisterEntry) -> None:
    person = User.objects.create_user("olivier@example.org", "x" * 12)
    with pytest.raises(VerificationFailed) as failure:
        verify_membership(user=person, member_number="400001")
    assert failure.value.code == "no_match"


def test_a_number_linked_to_another_account_is_refused(outsider: User, entry: RegisterEntry) -> None:
    verify_membership(user=outsider, member_number="400001")
    other = make_person("impostor@example.org")
    with pytest.raises(VerificationFailed) as failure:
        verify_membership(user=other, member_number="400001", date_of_birth=date(1980, 6, 1))
    assert failure.value.code == "taken"
    entry.refresh_from_db()
    assert entry.user == outsider


def test_attempts_are_rate_limited(outsider: User, entry: RegisterEntry, settings: Any) -> None:
    for _attempt in range(settings.COOPSIP_VERIFY_ATTEMPTS):
        with pytest.raises(VerificationFailed):
            verify_membership(user=outsider, member_number="000000")
    with pytest.raises(VerificationFailed) as failure:
        verify_membership(user=outsider, member_number="400001")
    assert failure.value.code == "rate_limited"
    entry.refresh_from_db()
    assert entry.user is None


def test_a_non_member_entry_links_as_a_user_not_a_member(db: Any) -> None:
    RegisterEntry.objects.create(
        member_number="400002", first_name="K", last_name="L", email="k@example.org", status=MembershipStatus.USER
    )
    person = make_person("k@example.org")
    verify_membership(user=person, member_number="400002")
    person = User.objects.get(pk=person.pk)
    assert person.register_entry.is_member is False
    from coopsip.core.access import is_member, is_verified_person

    assert not is_member(person)
    assert is_verified_person(person)


def test_a_tampered_post_cannot_link_an_entry_to_someone_else(
    outsider: User, nonmember: User, entry: RegisterEntry
) -> None:
    # Olivier posts his own details plus Julien's id: the entry is linked to Olivier, never to Julien.
    response = client_for(outsider).post(reverse("members:verify"), {"member_number": "400001", "user": nonmember.pk})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.user == outsider
    assert RegisterEntry.objects.filter(user=nonmember).count() == 1


def test_an_unknown_number_and_a_wrong_birth_date_get_the_same_answer(db: Any, entry: RegisterEntry) -> None:
    person = make_person("someone@example.org")
    with pytest.raises(VerificationFailed) as unknown:
        verify_membership(user=person, member_number="999999")
    with pytest.raises(VerificationFailed) as wrong_birth:
        verify_membership(user=person, member_number="400001", date_of_birth=date(1990, 1, 1))
    assert unknown.value.message.replace("999999", "N") == wrong_birth.value.message.replace("400001", "N")


def test_guesses_on_one_number_are_limited_across_accounts(db: Any, entry: RegisterEntry, settings: Any) -> None:
    for n in range(settings.COOPSIP_VERIFY_ATTEMPTS * 2):
        guesser = make_person(f"guesser{n}@example.org")
        with pytest.raises(VerificationFailed):
            verify_membership(user=guesser, member_number="400001", date_of_birth=date(1900 + n, 1, 1))
    last = make_person("last@example.org")
    with pytest.raises(VerificationFailed) as failure:
        verify_membership(user=last, member_number="400001", date_of_birth=date(1980, 6, 1))
    assert failure.value.code == "rate_limited"


def test_the_member_number_is_found_whatever_its_case(db: Any) -> None:
    RegisterEntry.objects.create(
        member_number="D00042", first_name="A", last_name="B", email="ab@example.org", status=MembershipStatus.MEMBER
    )
    person = make_person("ab@example.org")
    assert verify_membership(user=person, member_number=" d00042 ").member_number == "D00042"


def test_a_bad_date_keeps_what_was_typed(outsider: User, entry: RegisterEntry) -> None:
    response = client_for(outsider).post(
        "/en/members/verify/", {"member_number": "400001", "date_of_birth": "1980-13-45"}
    )
    assert response.status_code == 400
    assert b"Enter a valid date" in response.content
    assert b'value="400001"' in response.content


def test_only_failures_count_and_staff_linking_lets_the_person_in_at_once(
    db: Any, entry: RegisterEntry, settings: Any
) -> None:
    settings.COOPSIP_VERIFY_ATTEMPTS = 2
    outsider = make_person("o.martin@elsewhere.example")
    for _attempt in range(2):
        with pytest.raises(VerificationFailed):
            verify_membership(user=outsider, member_number="400001", date_of_birth=date(1999, 1, 1))
    # Held back now, even with the right date of birth.
    with pytest.raises(VerificationFailed) as failure:
        verify_membership(user=outsider, member_number="400001", date_of_birth=date(1980, 6, 1))
    assert failure.value.code == "rate_limited"
    # The team links the account (the admin goes through this service): it counts at once.
    link_by_staff(entry=entry, user=outsider)
    page = client_for(outsider).get("/en/members/verify/").content.decode()
    assert "400001" in page and "You tried too many times" not in page
    assert outsider.has_perm("members.verify_membership") is False


def test_the_admin_links_through_the_service(db: Any, entry: RegisterEntry) -> None:
    from coopsip.core import ratelimit

    outsider = make_person("o.martin@elsewhere.example")

    ratelimit.consume(key=f"verify-membership:{outsider.pk}", limit=0, period=3600)
    superuser = make_person("root@example.org", is_superuser=True, is_staff=True)
    from django.contrib.admin.sites import site

    admin = site._registry[RegisterEntry]
    request = type("R", (), {"user": superuser})()
    form = type("F", (), {"changed_data": ["user"]})()
    entry.user = outsider
    admin.save_model(request, entry, form, change=True)
    entry.refresh_from_db()
    assert entry.user == outsider and entry.verified_at is not None
    assert ratelimit.used(key=f"verify-membership:{outsider.pk}") == 0


# --- Issue 16 review: a stranger's guesses never lock the owner out; the message says the real wait ----------


def _strangers_guess(entry: RegisterEntry, settings: Any) -> None:
    for n in range(settings.COOPSIP_VERIFY_ATTEMPTS * 2):
        stranger = make_person(f"stranger{n}@example.org")
        with pytest.raises(VerificationFailed):
            verify_membership(user=stranger, member_number=entry.member_number, date_of_birth=date(1900 + n, 1, 1))


def test_after_strangers_guessed_on_a_number_its_owner_links_it_with_her_email(
    db: Any, entry: RegisterEntry, settings: Any
) -> None:
    _strangers_guess(entry, settings)
    owner = make_person("olivier@example.org")

    response = client_for(owner).post("/en/members/verify/", {"member_number": "400001"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.user == owner
    page = client_for(owner).get("/en/members/verify/").content.decode()
    assert "400001" in page and "too many" not in page


def test_a_number_closed_by_strangers_says_how_long_to_wait_and_who_can_help(
    db: Any, entry: RegisterEntry, settings: Any
) -> None:
    _strangers_guess(entry, settings)
    owner = make_person("o.martin@elsewhere.example")

    response = client_for(owner).post("/en/members/verify/", {"member_number": "400001", "date_of_birth": "1980-06-01"})

    page = response.content.decode().replace("\xa0", " ")
    assert "There were too many wrong attempts on this member number, maybe not yours." in page
    # The number's window is a day from the first guess: the wait is said, not "an hour".
    assert "Try again in 23 hours, " in page and "Try again in an hour" not in page
    assert "cooperatief.leven@example.org" in page and "the team can link your account" in page


def test_my_own_failures_say_how_long_to_wait(outsider: User, entry: RegisterEntry, settings: Any) -> None:
    for _attempt in range(settings.COOPSIP_VERIFY_ATTEMPTS):
        with pytest.raises(VerificationFailed):
            verify_membership(user=outsider, member_number="000000")

    response = client_for(outsider).post("/fr/members/verify/", {"member_number": "400001"})

    assert response.status_code == 400
    # Within the hour since the first failure, said in the reader's language (not "in an hour").
    assert re.search(r"\b[1-5]?[0-9]\xa0minutes\b", response.content.decode())
