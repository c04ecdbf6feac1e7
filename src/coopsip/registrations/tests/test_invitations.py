"""Sara (staff) invites people to moderate or act as secretary; only the invitee answers, once.

Julien prefers French; Lotte is a member registered for the edition.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core.models import ChangeRecord
from coopsip.editions.models import Edition
from coopsip.registrations.invitations import InvitationRefused, _send_invitation, answer_invitation, invite_to_role
from coopsip.registrations.models import InvitationStatus, Registration, RoleInvitation
from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition, office, register, theme


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_open_edition()


def _invite(edition: Edition, user: User, staff: User, role: str = "moderator", **extra: Any) -> RoleInvitation:
    return invite_to_role(edition=edition, user=user, role=role, invited_by=staff, **extra)


def _link(body: str) -> str:
    match = re.search(r"http://\S+/invitations/\S+/", body)
    assert match, body
    return match.group(0).removeprefix("http://127.0.0.1:8000")


def test_the_email_goes_out_in_the_invitees_language_with_a_working_link(
    edition: Edition, nonmember: User, staff: User, on_commit: Any
) -> None:
    with on_commit():
        invitation = _invite(
            edition, nonmember, staff, theme=theme(edition, "digitaal"), office=office("luik"), message="Tu as le don."
        )
    [email] = mail.outbox
    assert email.to == ["julien@example.org"]
    # The texts of the edition and the theme in French (the sentences around them follow the catalogue).
    assert "Smart in Progress 2026-2027 (fr)" in email.subject
    assert "Travail numérique" in email.body
    assert "Liège" in email.body
    assert "Tu as le don." in email.body
    path = _link(email.body)
    assert path == f"/fr/invitations/{invitation.token}/"
    response = client_for(nonmember).get(path)
    assert response.status_code == 200
    assert "Travail numérique" in response.content.decode()


def test_the_email_is_queued_once_per_invitation(edition: Edition, member: User, staff: User, on_commit: Any) -> None:
    with on_commit():
        invitation = _invite(edition, member, staff)
    assert len(mail.outbox) == 1
    with on_commit():
        _send_invitation(invitation)  # a retried task: the same key, no second email
    assert len(mail.outbox) == 1
    assert "Smart in Progress 2026-2027" in mail.outbox[0].subject
    assert "/nl/invitations/" in mail.outbox[0].body  # Lotte's language: Dutch, the default
    assert invitation.token and len(invitation.token) >= 40


def test_a_second_pending_invitation_to_the_same_role_is_refused(edition: Edition, member: User, staff: User) -> None:
    _invite(edition, member, staff)
    with pytest.raises(InvitationRefused) as refused:
        _invite(edition, member, staff)
    assert "already has an invitation" in refused.value.errors["email"]
    _invite(edition, member, staff, role="secretary")  # another role is another invitation
    assert RoleInvitation.objects.count() == 2


def test_a_theme_of_another_edition_is_refused(edition: Edition, member: User, staff: User) -> None:
    other = make_open_edition("2027-2028")
    with pytest.raises(InvitationRefused) as refused:
        _invite(edition, member, staff, theme=theme(other, "wonen"))
    assert "theme" in refused.value.errors
    assert not RoleInvitation.objects.exists()


def test_accepting_marks_the_registration_as_volunteering(edition: Edition, member: User, staff: User) -> None:
    registration = register(member, edition, "wonen")
    invitation = _invite(edition, member, staff, role="secretary")
    response = client_for(member).post(f"/en/invitations/{invitation.token}/", {"answer": "accept"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    registration.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.answered_at is not None
    assert registration.volunteers_as_secretary
    assert not registration.volunteers_as_moderator
    assert ChangeRecord.objects.filter(action="accepted", actor=member).exists()


def test_declining_changes_no_registration(edition: Edition, member: User, staff: User) -> None:
    registration = register(member, edition, "wonen")
    invitation = _invite(edition, member, staff)
    client_for(member).post(f"/en/invitations/{invitation.token}/", {"answer": "decline"})
    invitation.refresh_from_db()
    registration.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not registration.volunteers_as_moderator


def test_accepting_without_a_registration_is_fine(edition: Edition, member: User, staff: User) -> None:
    invitation = _invite(edition, member, staff)
    response = client_for(member).get(f"/en/invitations/{invitation.token}/")
    assert "You have not registered for this edition." in response.content.decode()
    answer_invitation(invitation=invitation, user=member, accept=True)
    assert not Registration.objects.exists()


def test_answering_twice_is_refused(edition: Edition, member: User, staff: User) -> None:
    invitation = _invite(edition, member, staff)
    client = client_for(member)
    client.post(f"/en/invitations/{invitation.token}/", {"answer": "accept"})
    response = client.post(f"/en/invitations/{invitation.token}/", {"answer": "decline"})
    assert response.status_code == 400
    assert "You already answered this invitation." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    with pytest.raises(InvitationRefused):
        answer_invitation(invitation=invitation, user=member, accept=False)


@pytest.mark.parametrize("role", ["outsider", "nonmember", "staff", "board"])
def test_nobody_but_the_invitee_sees_or_answers_the_invitation(
    edition: Edition, personas: dict[str, Any], role: str
) -> None:
    invitation = _invite(edition, personas["member"], personas["staff"])
    client = client_for(personas[role])
    url = f"/en/invitations/{invitation.token}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "accept"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    with pytest.raises(InvitationRefused):
        answer_invitation(invitation=invitation, user=personas[role], accept=True)


def test_a_visitor_is_sent_to_log_in(edition: Edition, member: User, staff: User) -> None:
    invitation = _invite(edition, member, staff)
    response = Client().get(f"/en/invitations/{invitation.token}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_token_is_404(member: User) -> None:
    assert client_for(member).get("/en/invitations/not-a-token/").status_code == 404


def test_a_bad_answer_is_refused(edition: Edition, member: User, staff: User) -> None:
    invitation = _invite(edition, member, staff)
    response = client_for(member).post(f"/en/invitations/{invitation.token}/", {"answer": "maybe"})
    assert response.status_code == 400
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_invitee_sees_two_buttons_then_their_answer(edition: Edition, member: User, staff: User) -> None:
    invitation = _invite(edition, member, staff, message="You chair meetings well.")
    client = client_for(member)
    html = client.get(f"/en/invitations/{invitation.token}/").content.decode()
    assert 'name="answer" value="accept"' in html and 'name="answer" value="decline"' in html
    assert "You chair meetings well." in html
    html = client.post(f"/en/invitations/{invitation.token}/", {"answer": "accept"}, follow=True).content.decode()
    assert "You accepted on" in html
    assert 'value="accept"' not in html


# --- Staff pages ----------------------------------------------------------------------------


def test_staff_invite_someone_from_the_page(edition: Edition, staff: User, nonmember: User, on_commit: Any) -> None:
    url = reverse("registrations_staff:invite", kwargs={"slug": edition.slug})
    data = {"email": "JULIEN@example.org", "role": "secretary", "theme": theme(edition, "zorg").pk, "message": "Merci"}
    with on_commit():
        response = client_for(staff).post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations_staff:pool", kwargs={"slug": edition.slug})
    invitation = RoleInvitation.objects.get()
    assert (invitation.user, invitation.role, invitation.theme, invitation.invited_by) == (
        nonmember,
        "secretary",
        theme(edition, "zorg"),
        staff,
    )
    assert len(mail.outbox) == 1


def test_the_invite_page_refuses_an_unknown_address_and_a_duplicate(
    edition: Edition, staff: User, member: User
) -> None:
    url = reverse("registrations_staff:invite", kwargs={"slug": edition.slug})
    client = client_for(staff)
    response = client.post(url, {"email": "nobody@example.org", "role": "moderator"})
    assert response.status_code == 400
    assert "No account has this email address." in response.content.decode()
    client.post(url, {"email": member.email, "role": "moderator"})
    response = client.post(url, {"email": member.email, "role": "moderator"})
    assert response.status_code == 400
    assert "already has an invitation" in response.content.decode()
    assert RoleInvitation.objects.count() == 1


def test_the_invite_page_is_prefilled_from_the_demand_table(edition: Edition, staff: User) -> None:
    url = reverse("registrations_staff:invite", kwargs={"slug": edition.slug})
    wonen = theme(edition, "wonen")
    response = client_for(staff).get(url, {"role": "moderator", "theme": wonen.pk, "office": office("gent").pk})
    form = response.context["form"]
    assert (form["role"].value(), str(form["theme"].value())) == ("moderator", str(wonen.pk))


def test_the_pool_lists_volunteers_and_accepted_invitations_per_theme_and_office(
    edition: Edition, staff: User, member: User, nonmember: User
) -> None:
    bert = make_member("bert@example.org", number="2", first_name="Bert", last_name="Bosmans")
    register(member, edition, "wonen", "zorg", office_slug="gent", moderator=True)
    register(bert, edition, "wonen", office_slug="gent", moderator=True, secretary=True)
    answer_invitation(
        invitation=_invite(edition, member, staff, theme=theme(edition, "wonen")), user=member, accept=True
    )
    chloe = make_member("chloe@example.org", number="3", first_name="Chloé", last_name="Collin")
    answer_invitation(
        invitation=_invite(edition, chloe, staff, role="secretary", office=office("luik")), user=chloe, accept=True
    )
    _invite(edition, nonmember, staff)  # pending
    declined = _invite(edition, bert, staff, role="secretary", theme=theme(edition, "zorg"))
    answer_invitation(invitation=declined, user=bert, accept=False)

    response = client_for(staff).get(reverse("registrations_staff:pool", kwargs={"slug": edition.slug}))
    pool = response.context["pool"]
    places = {
        (p.theme.slug if p.theme else None, p.office.slug if p.office else None): (
            [(x.user.first_name, x.rank, x.volunteered, x.invited) for x in p.moderators],
            [(x.user.first_name, x.rank, x.volunteered, x.invited) for x in p.secretaries],
        )
        for p in pool.places
    }
    assert places == {
        ("wonen", "gent"): ([("Bert", 1, True, False), ("Lotte", 1, True, True)], [("Bert", 1, True, False)]),
        ("zorg", "gent"): ([("Lotte", 2, True, False)], []),
        (None, "luik"): ([], [("Chloé", None, False, True)]),
    }
    assert (pool.moderator_count, pool.secretary_count) == (2, 2)
    assert [(i.user.first_name, i.status) for i in pool.open_invitations] == [
        ("Bert", "declined"),
        ("Julien", "pending"),
    ]
    html = response.content.decode()
    assert "volunteered, choice 1; accepted an invitation" in html
    assert "Any theme" in html


def test_the_pool_keeps_a_fixed_number_of_queries(
    edition: Edition, staff: User, django_assert_num_queries: Any
) -> None:
    client = client_for(staff)
    url = reverse("registrations_staff:pool", kwargs={"slug": edition.slug})
    for count in (1, 5):
        for number in range(Registration.objects.count(), count):
            user = make_member(f"v{number}@example.org", number=f"6{number}")
            register(user, edition, "wonen", "zorg", moderator=True)
            answer_invitation(invitation=_invite(edition, user, staff, role="secretary"), user=user, accept=True)
        client.get(url)
        # Session, user, the team's second-factor check (2), groups, edition, volunteers, their
        # preferences, invitations, themes.
        with django_assert_num_queries(11):
            client.get(url)


def test_the_pool_marks_who_accepted_without_registering(staff: Any) -> None:
    from coopsip.registrations.invitations import answer_invitation, invite_to_role
    from coopsip.registrations.selectors import volunteer_pool
    from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition

    edition = make_open_edition()
    guest = make_member("moderatrice@example.org", number="900001")
    invitation = invite_to_role(edition=edition, user=guest, role="moderator", invited_by=staff)
    answer_invitation(invitation=invitation, user=guest, accept=True)
    people = [p for place in volunteer_pool(edition=edition).places for p in place.moderators]
    assert [(p.user, p.registered) for p in people] == [(guest, False)]
