from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, client_for, logged_in_with_password
from coopsip.accounts.models import User
from coopsip.core import privacy
from coopsip.core.mail import queue_email
from coopsip.members.models import RegisterEntry
from coopsip.places.models import Office

pytestmark = pytest.mark.django_db


def _models_pointing_to_the_user() -> set[str]:
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is User:
                found.add(model._meta.label)
    return found


def test_every_model_that_points_to_a_person_has_a_privacy_section() -> None:
    covered = privacy.erased_models() | privacy.kept_models()
    # Django's own permission tables are cleared by delete_account itself.
    assert (
        _models_pointing_to_the_user() - covered - {"accounts.User_groups", "accounts.User_user_permissions"} == set()
    )


def test_the_download_holds_everything_about_the_person(member: User) -> None:
    member.office = Office.objects.get(slug="gent")
    member.save()
    queue_email(key="hello", to_email=member.email, subject="Hallo", body_text="Dag Lotte", user=member)
    response = client_for(member).post(reverse("accounts:export_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == "lotte@example.org"
    assert data["profile"]["office"] == "Ghent"  # in the language of the page
    assert data["member_register"]["member_number"] == "100001"
    assert data["login"]["email_addresses"][0]["email"] == "lotte@example.org"
    assert data["emails"][0]["subject"] == "Hallo"


def test_the_download_holds_nobody_else(member: User, nonmember: User) -> None:
    content = client_for(member).post(reverse("accounts:export_data")).content.decode()
    assert "julien" not in content.lower()


def test_deleting_the_account_leaves_no_personal_field(member: User) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    member.office = Office.objects.get(slug="gent")
    member.languages_spoken = ["nl"]
    member.gender = "woman"
    member.save()
    queue_email(key="hello", to_email=member.email, subject="Hallo", body_text="Dag Lotte", user=member)
    client = Client()
    client.post("/en/accounts/login/", {"login": "lotte@example.org", "password": PASSWORD})
    # A second session, on another device.
    other_device = Client()
    other_device.post("/fr/accounts/login/", {"login": "lotte@example.org", "password": PASSWORD})
    assert other_device.get(reverse("accounts:profile")).status_code == 200
    TOTP.activate(member, generate_totp_secret())

    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post(reverse("accounts:delete"), {"confirm_email": "Lotte@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"

    member.refresh_from_db()
    for name in ("first_name", "last_name", "gender", "stakeholder_type"):
        assert getattr(member, name) == "", name
    assert "lotte" not in member.email
    assert member.office is None and member.municipality is None
    assert member.languages_spoken == []
    assert not member.has_usable_password()
    assert not member.is_active
    assert member.deleted_at is not None
    # Every row that pointed to the person is gone, except the kept, anonymous ones.
    for label in _models_pointing_to_the_user() - privacy.kept_models():
        model = apps.get_model(label)
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is User:
                assert not model.objects.filter(**{field.name: member}).exists(), label
    assert not EmailAddress.objects.filter(email__iexact="lotte@example.org").exists()
    assert not Authenticator.objects.filter(user=member).exists()
    assert not UserSession.objects.filter(user=member).exists()
    # The entry of the register stays with the cooperative, unlinked.
    assert RegisterEntry.objects.get(member_number="100001").user is None
    # Both devices are logged out.
    assert other_device.get(reverse("accounts:profile")).status_code == 302
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(member.pk)


def test_deletion_needs_the_email_typed_and_keeps_everything_otherwise(member: User) -> None:
    client = logged_in_with_password("lotte@example.org")
    response = client.post(reverse("accounts:delete"), {"confirm_email": "someone@example.org"})
    assert response.status_code == 400
    assert b"not the email address of your account" in response.content
    assert b'value="someone@example.org"' in response.content
    member.refresh_from_db()
    assert member.is_active and member.email == "lotte@example.org"


def test_a_deleted_person_cannot_log_in(member: User) -> None:
    logged_in_with_password("lotte@example.org").post(
        reverse("accounts:delete"), {"confirm_email": "lotte@example.org"}
    )
    response = Client().post("/en/accounts/login/", {"login": "lotte@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert Client().get(reverse("accounts:profile")).status_code == 302


def test_deletion_asks_for_the_password_again_then_goes_on(member: User) -> None:
    client = Client()
    client.post("/en/accounts/login/", {"login": "lotte@example.org", "password": PASSWORD})
    response = client.post(reverse("accounts:delete"), {"confirm_email": "lotte@example.org"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    member.refresh_from_db()
    assert member.is_active
    # Confirming the password carries out the deletion that was asked for.
    client.post(response["Location"], {"password": PASSWORD})
    member.refresh_from_db()
    assert not member.is_active


def test_deletion_removes_login_attempts_whatever_the_case_of_the_address(db: Any) -> None:
    from axes.models import AccessAttempt, AccessLog

    from conftest import make_person

    person = make_person("jan.peeters@example.org")
    # The person typed their address with capitals when a login failed.
    Client().post("/en/accounts/login/", {"login": "Jan.Peeters@Example.org", "password": "wrong"})
    client = logged_in_with_password("jan.peeters@example.org")
    assert AccessLog.objects.filter(username__iexact="jan.peeters@example.org").exists()
    client.post(reverse("accounts:delete"), {"confirm_email": "jan.peeters@example.org"})
    assert not AccessLog.objects.filter(username__iexact="jan.peeters@example.org").exists()
    assert not AccessAttempt.objects.filter(username__iexact="jan.peeters@example.org").exists()
    person.refresh_from_db()
    assert not person.is_active


def test_a_staff_members_download_holds_what_they_did_but_nobody_elses_name(
    staff: User, member: User, nonmember: User
) -> None:
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from coopsip.core.audit import record_change
    from coopsip.registrations.invitations import invite_to_role
    from coopsip.registrations.tests.test_register import make_open_edition, make_places, register_with_service

    make_places()
    edition = make_open_edition()
    # Sara invites Julien to moderate (history: "Moderator: Julien Dubois (…)"), imports Lotte's
    # registration (history: "Lotte Peeters – …") and corrects Julien's account in the admin.
    invite_to_role(edition=edition, user=nonmember, role="moderator", invited_by=staff, message="Bonjour Julien !")
    record_change(actor=staff, obj=register_with_service(member, edition), action="imported")
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(nonmember.pk),
        object_repr=str(nonmember),
        action_flag=CHANGE,
        change_message="Changed the name of Julien Dubois.",
    )

    data = json.loads(client_for(staff).post(reverse("accounts:export_data")).content)

    content = json.dumps(data, ensure_ascii=False).lower()
    for someone_else in ("lotte", "peeters", "julien", "dubois"):
        assert someone_else not in content, someone_else
    assert data["profile"]["first_name"] == "Sara"
    assert data["invitations_sent"] == [
        {"edition": str(edition), "role": "moderator", "sent_at": data["invitations_sent"][0]["sent_at"]}
    ]
    assert {(c["kind"], c["action"]) for c in data["changes_made"]} == {
        ("invitation to a role", "created"),
        ("registration", "imported"),
    }
    assert data["admin_actions"] == [
        {"at": data["admin_actions"][0]["at"], "action": "changed", "kind": "user", "number": str(nonmember.pk)}
    ]
