"""Fixtures shared by every test: the personas of the style guide.

Lotte is a member (vennoot) linked to the register; Julien is a non-member
user linked to it; Olivier has an account but no link (an outsider); Sara is
on the Cooperative Life team (staff); Marc is on the board. Staff and board
have an authenticator app, as they must.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.test import Client

from coopsip.accounts.models import User
from coopsip.core.access import BOARD_GROUP, STAFF_GROUP
from coopsip.members.models import MembershipStatus, RegisterEntry

PASSWORD = "correct horse battery staple"
# In CI every test must run: a skip (no PostgreSQL, no Chromium) is a failure.
REQUIRE_ALL = os.environ.get("COOPSIP_REQUIRE_ALL") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Skipped, but COOPSIP_REQUIRE_ALL=1 forbids skips: {report.longrepr}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests about one database's own storage run on that database only, and transactional tests find the
    rows of the data migrations (offices, roles, vocabulary).

    ``@pytest.mark.only_on("postgresql")`` (or ``"sqlite"``): deselected on the other database, never skipped;
    each CI lane runs one database, so every such test runs in CI.

    A transactional test empties the database when it ends, data-migration rows included, so any
    test after it would miss them. With ``serialized_rollback`` each transactional test starts
    from the database as the migrations left it (Django serialises it once at set-up).
    """
    from django.db import connection

    kept, deselected = [], []
    for item in items:
        only = item.get_closest_marker("only_on")
        (deselected if only is not None and only.args[0] != connection.vendor else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "live_server" in fixtures or "transactional_db" in fixtures
        )
        if transactional:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Argon2 is the production hasher (tested in accounts); tests use a fast one.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Tests read the interface in English unless they open a /nl/ or /fr/ page."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_content_types() -> None:
    """Forget the content types read by an earlier test: a transactional test may have emptied and refilled
    their table under other ids, and a stale id makes the next change record point nowhere."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """``with on_commit(): ...`` runs what was queued on commit (emails) at the end of the block.

    Tests run inside a transaction that never commits; this plays the commit.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


def make_person(email: str, *, first_name: str = "", last_name: str = "", **extra: Any) -> User:
    user = User.objects.create_user(email, PASSWORD, first_name=first_name, last_name=last_name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def link_to_register(user: User, *, number: str, status: str) -> RegisterEntry:
    from django.utils import timezone

    return RegisterEntry.objects.create(
        member_number=number,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        status=status,
        user=user,
        verified_at=timezone.now(),
    )


def with_authenticator(user: User) -> User:
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def member(db: Any) -> User:
    user = make_person("lotte@example.org", first_name="Lotte", last_name="Peeters")
    link_to_register(user, number="100001", status=MembershipStatus.MEMBER)
    return user


@pytest.fixture
def nonmember(db: Any) -> User:
    user = make_person("julien@example.org", first_name="Julien", last_name="Dubois", preferred_language="fr")
    link_to_register(user, number="100002", status=MembershipStatus.USER)
    return user


@pytest.fixture
def outsider(db: Any) -> User:
    return make_person("olivier@example.org", first_name="Olivier", last_name="Martin")


@pytest.fixture
def staff(db: Any) -> User:
    user = with_authenticator(make_person("sara@example.org", first_name="Sara", last_name="Janssens"))
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    return user


@pytest.fixture
def board(db: Any) -> User:
    user = with_authenticator(make_person("marc@example.org", first_name="Marc", last_name="Lambert"))
    user.groups.add(Group.objects.get_or_create(name=BOARD_GROUP)[0])
    return user


def logged_in_with_password(email: str) -> Client:
    """A client that logged in through the login form and just confirmed its password again.

    allauth asks for the password again before a sensitive action (deleting the
    account) unless the person confirmed it in the last five minutes.
    """
    client = Client()
    response = client.post("/en/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(member: User, nonmember: User, outsider: User, staff: User, board: User) -> dict[str, User | None]:
    return {
        "visitor": None,
        "outsider": outsider,
        "nonmember": nonmember,
        "member": member,
        "staff": staff,
        "board": board,
    }
