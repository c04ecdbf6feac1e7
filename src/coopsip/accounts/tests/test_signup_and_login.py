from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, client_for, make_person
from coopsip.accounts.models import User

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", body)
    assert match, body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def signup(on_commit: Any) -> Any:
    def run(client: Client, email: str, language: str = "nl") -> Any:
        with on_commit():
            return client.post(
                f"/{language}/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
            )

    return run


def test_it_signs_up_confirms_the_email_and_logs_in(signup: Any) -> None:
    client = Client()
    response = signup(client, "nieuw@example.org")
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    confirm_url = _link(mail.outbox[0].body)
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert user.emailaddress_set.get().verified
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_it_does_not_log_in_before_the_email_is_confirmed(signup: Any) -> None:
    client = Client()
    signup(client, "nieuw@example.org")
    client.logout()
    response = client.post("/nl/accounts/login/", {"login": "nieuw@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_it_sends_the_confirmation_in_the_language_of_the_signup_page(signup: Any) -> None:
    signup(Client(), "nouveau@example.org", language="fr")
    assert User.objects.get(email="nouveau@example.org").preferred_language == "fr"
    # allauth's French catalogue: "Confirmez votre adresse e-mail"
    assert "Confirm" in mail.outbox[0].subject
    assert "e-mail" in mail.outbox[0].subject.lower()
    assert "Please Confirm" not in mail.outbox[0].subject


def test_the_confirmation_email_is_recorded_as_sent(signup: Any) -> None:
    from coopsip.core.models import OutgoingEmail

    signup(Client(), "nieuw@example.org")
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.to_email == "nieuw@example.org"


def test_a_second_signup_with_the_same_email_creates_no_second_account(member: User, signup: Any) -> None:
    signup(Client(), "LOTTE@example.org")
    assert User.objects.filter(email__iexact="lotte@example.org").count() == 1


def test_it_logs_in_with_email_and_password_and_goes_to_the_preferred_language(nonmember: User) -> None:
    client = Client()
    response = client.post("/nl/accounts/login/", {"login": "julien@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_a_wrong_password_keeps_the_email_and_says_so(member: User) -> None:
    response = Client().post("/en/accounts/login/", {"login": "lotte@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert b'value="lotte@example.org"' in response.content
    assert b"not correct" in response.content


def test_it_resets_a_forgotten_password(member: User, on_commit: Any) -> None:
    client = Client()
    with on_commit():
        client.post("/en/accounts/password/reset/", {"email": "lotte@example.org"})
    assert len(mail.outbox) == 1
    # Asked from an English page, the mail is in Lotte's Dutch and so is the page it links to.
    match = re.search(r"https?://[^/\s]+(/nl/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    assert match
    response = client.get(match.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else match.group(1)
    new_password = "a new long passphrase 42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_the_password_reset_mail_is_in_the_persons_language(nonmember: User, on_commit: Any) -> None:
    with on_commit():
        Client().post("/nl/accounts/password/reset/", {"email": "julien@example.org"})
    assert "mot de passe" in mail.outbox[0].body.lower()


def test_a_logged_in_person_changes_their_password(member: User) -> None:
    client = Client()
    client.force_login(member)
    new_password = "another long passphrase 7"
    response = client.post(
        "/en/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)


def test_the_production_hasher_is_argon2() -> None:
    from coopsip import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_staff_must_set_up_an_authenticator_app(db: Any) -> None:
    from django.contrib.auth.models import Group

    sara = make_person("sara@example.org")
    sara.groups.add(Group.objects.get(name="cooperative-life"))
    client = client_for(sara)
    response = client.get(reverse("home:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # Setting up an authenticator asks for the password again first.
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


def test_board_members_must_set_up_an_authenticator_app(db: Any) -> None:
    from django.contrib.auth.models import Group

    marc = make_person("marc@example.org")
    marc.groups.add(Group.objects.get(name="board"))
    response = client_for(marc).get(reverse("members:register"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_members_may_use_an_authenticator_app_without_being_forced(member: User) -> None:
    client = client_for(member)
    assert client.get(reverse("home:index")).status_code == 200
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


def test_staff_with_an_authenticator_are_asked_for_a_code_at_login(staff: User) -> None:
    client = Client()
    response = client.post("/en/accounts/login/", {"login": "sara@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_login_is_locked_after_repeated_failures(member: User, settings: Any) -> None:
    client = Client()
    responses = [
        client.post("/en/accounts/login/", {"login": "lotte@example.org", "password": "wrong"})
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert responses[-1].status_code == 429
    assert b"Too many failed logins" in responses[-1].content
    # Even the right password does not open the account for a while.
    client.post("/en/accounts/login/", {"login": "lotte@example.org", "password": PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_the_admin_logs_in_through_the_site_login_with_its_second_factor(db: Any) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_admin_users_must_set_up_an_authenticator_app_too(db: Any) -> None:
    admin_user = make_person("root@example.org", is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    for url in ["/admin/", reverse("members:import")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_an_authenticator_but_no_second_factor_yet_cannot_pass_the_login(staff: User) -> None:
    client = Client()
    client.post("/en/accounts/login/", {"login": "sara@example.org", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("members:import")).status_code == 302


def test_the_confirmation_email_names_the_site(signup: Any) -> None:
    signup(Client(), "nieuw@example.org", language="en")
    assert "coopsip" in mail.outbox[0].body
    assert "from !" not in mail.outbox[0].body.replace("\n", " ")
