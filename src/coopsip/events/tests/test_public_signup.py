"""Signing up and cancelling: people with an account, visitors without one, the waiting list, personal links."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Attendance, Audience, Event, SignUp, SignUpStatus
from coopsip.events.tests.test_public_pages import VIDEO, event_url, make_circle, make_event
from coopsip.events.views import VISITOR_SIGNUPS_PER_HOUR

pytestmark = pytest.mark.django_db


def sign_up_url(event: Event) -> str:
    return event_url(event, "sign-up/")


def cancel_url(event: Event) -> str:
    return event_url(event, "cancel/")


def personal_url(signup: SignUp) -> str:
    return f"/en/events/s/{signup.token}/"


# --- With an account --------------------------------------------------------------------------------


def test_a_member_signs_up_and_gets_a_confirmation(member: User, on_commit: Any) -> None:
    event = make_event(audience=Audience.MEMBERS, capacity=10)
    client = client_for(member)
    with on_commit():
        response = client.post(sign_up_url(event))
    assert response.status_code == 303
    assert response["Location"] == event_url(event)
    signup = SignUp.objects.get(event=event, user=member)
    assert signup.status == SignUpStatus.CONFIRMED
    [email] = mail.outbox
    assert email.to == ["lotte@example.org"]
    html = client.get(response["Location"]).content.decode()
    assert "You have a seat at &quot;Afterwork in Ghent&quot;" in html
    assert "You have a seat." in html
    assert "9 seats left" in html
    assert "Cancel my sign-up for Afterwork in Ghent" in html


def test_signing_up_twice_keeps_one_seat(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    client = client_for(member)
    client.post(sign_up_url(event))
    assert client.post(sign_up_url(event)).status_code == 303
    assert SignUp.objects.filter(event=event).count() == 1


@pytest.mark.parametrize("persona", ["visitor", "outsider", "nonmember", "board"])
def test_a_members_event_refuses_others_with_the_reason(personas: dict[str, User | None], persona: str) -> None:
    event = make_event(audience=Audience.MEMBERS)
    response = client_for(personas[persona]).post(sign_up_url(event), {"name": "Zoë", "email": "zoe@example.org"})
    html = response.content.decode()
    assert response.status_code == 403
    # A linked non-member is told why (not a member), not to link the account they linked.
    reason = {"visitor": "Log in to sign up", "nonmember": "linked to the register as a non-member user"}.get(
        persona, "Link your account to your membership first."
    )
    assert reason in html
    assert not SignUp.objects.exists()


@pytest.mark.parametrize("persona", ["visitor", "outsider", "nonmember", "member", "board"])
def test_a_group_meeting_refuses_people_outside_the_group(personas: dict[str, User | None], persona: str) -> None:
    event = make_event(audience=Audience.CIRCLE, circle=make_circle(make_person_in_group()))
    response = client_for(personas[persona]).post(sign_up_url(event), {"name": "Zoë", "email": "zoe@example.org"})
    assert response.status_code == 404
    assert not SignUp.objects.filter(email__in=["zoe@example.org", "lotte@example.org"]).exists()


def make_person_in_group() -> User:
    from conftest import make_person

    return make_person("ann@example.org", first_name="Ann")


def test_sign_up_after_the_deadline_shows_the_reason(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC, signup_deadline=timezone.now() + timedelta(days=1))
    Event.objects.filter(pk=event.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    response = client_for(member).post(sign_up_url(event))
    assert response.status_code == 400
    assert "Sign-up for this event is closed." in response.content.decode()
    assert "Sign up for Afterwork" not in response.content.decode()
    assert not SignUp.objects.exists()


def test_the_sign_up_refuses_a_get(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    assert client_for(member).get(sign_up_url(event)).status_code == 405
    assert client_for(member).get(cancel_url(event)).status_code == 405


def test_a_busy_event_asks_to_try_again(member: User, monkeypatch: pytest.MonkeyPatch) -> None:
    event = make_event(audience=Audience.PUBLIC)

    def busy(**kwargs: Any) -> SignUp:
        raise services.EventBusy

    monkeypatch.setattr(services, "sign_up", busy)
    response = client_for(None).post(sign_up_url(event), {"name": "Zoë Visitor", "email": "zoe@example.org"})
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    assert "Many people are signing up right now: nothing was changed, please try again in a moment." in html
    assert 'value="Zoë Visitor"' in html and 'value="zoe@example.org"' in html
    assert client_for(member).post(sign_up_url(event)).status_code == 503


# --- Visitors without an account --------------------------------------------------------------------


def test_a_visitor_confirms_by_the_email_link_before_the_seat_and_the_video_link_are_theirs(
    db: Any, on_commit: Any
) -> None:
    event = make_event(audience=Audience.PUBLIC, attendance=Attendance.ONLINE, video_url=VIDEO, capacity=1)
    client = client_for(None)
    with on_commit():
        response = client.post(sign_up_url(event), {"name": "Zoë Visitor", "email": "Zoe@Example.org"})
    signup = SignUp.objects.get(event=event)
    # The browser never gets the personal link: only the mailbox does.
    assert response.status_code == 303
    assert response["Location"] == event_url(event)
    assert signup.token not in client.get(response["Location"]).content.decode()
    assert (signup.name, signup.email, signup.language, signup.user) == ("Zoë Visitor", "zoe@example.org", "en", None)
    assert signup.status == SignUpStatus.PENDING
    [email] = mail.outbox
    assert email.to == ["zoe@example.org"]
    assert personal_url(signup) in email.body
    assert VIDEO not in email.body
    # The seat is kept meanwhile: the event shows as full.
    assert "Full — waiting list" in client_for(None).get(event_url(event)).content.decode()
    page = client.get(personal_url(signup)).content.decode()
    assert "A seat is kept for you until" in page and VIDEO not in page

    mail.outbox.clear()
    with on_commit():
        response = client.post(personal_url(signup), {"action": "confirm"})
    assert response.status_code == 303
    html = client.get(response["Location"]).content.decode()
    assert "You have a seat at &quot;Afterwork in Ghent&quot;" in html
    assert VIDEO in html
    [confirmation] = mail.outbox
    assert VIDEO in confirmation.body
    # Confirming twice changes nothing and sends nothing more.
    client.post(personal_url(signup), {"action": "confirm"})
    assert len(mail.outbox) == 1
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED


def test_a_seat_not_confirmed_in_time_goes_to_the_next_visitor(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1)
    late = services.sign_up(event_id=event.pk, name="Zoë", email="zoe@example.org")
    assert late.hold_until is not None
    later = late.queued_at + services.VISITOR_HOLD + timedelta(minutes=1)
    SignUp.objects.filter(pk=late.pk).update(hold_until=timezone.now() - timedelta(minutes=1))
    quick = services.sign_up(event_id=event.pk, name="Yann", email="yann@example.org", now=later)
    assert quick.hold_until is not None  # the seat was free again
    assert services.confirm_visitor_sign_up(token=quick.token).status == SignUpStatus.CONFIRMED
    # Zoë confirms too late: the seat is gone, she waits.
    assert services.confirm_visitor_sign_up(token=late.token).status == SignUpStatus.WAITING


def test_a_confirmation_link_older_than_a_day_is_refused(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    other = services.sign_up(event_id=event.pk, name="Yann", email="yann@example.org")
    SignUp.objects.filter(pk=other.pk).update(queued_at=timezone.now() - timedelta(days=2))
    response = client_for(None).post(personal_url(other), {"action": "confirm"})
    assert response.status_code == 400
    assert "more than a day old" in response.content.decode()
    assert SignUp.objects.get(pk=other.pk).status == SignUpStatus.PENDING


def test_a_visitor_signs_up_in_the_language_of_the_page(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    client_for(None).post(f"/fr/events/{event.pk}/sign-up/", {"name": "Zoë", "email": "zoe@example.org"})
    assert SignUp.objects.get().language == "fr"


def test_a_visitor_with_an_empty_email_keeps_the_typed_name(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    response = client_for(None).post(sign_up_url(event), {"name": "Zoë Visitor", "email": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Zoë Visitor"' in html
    assert 'id="form-errors"' in html and '<a href="#id_email">Your email address</a>: Give your email address.' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html or 'aria-invalid="true"' in html
    assert not SignUp.objects.exists()


def test_a_visitor_after_the_deadline_sees_the_reason_and_keeps_what_they_typed(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    Event.objects.filter(pk=event.pk).update(signup_deadline=timezone.now() - timedelta(minutes=1))
    response = client_for(None).post(sign_up_url(event), {"name": "Zoë Visitor", "email": "zoe@example.org"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Sign-up for this event is closed." in html
    assert not SignUp.objects.exists()


def test_an_address_already_signed_up_does_not_get_the_personal_link_in_the_browser(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    first = services.sign_up(event_id=event.pk, name="Zoë", email="zoe@example.org")
    response = client_for(None).post(sign_up_url(event), {"name": "Someone else", "email": "zoe@example.org"})
    assert response.status_code == 303
    assert response["Location"] == event_url(event)
    assert first.token not in response["Location"]
    html = client_for(None).get(event_url(event)).content.decode()
    assert first.token not in html


def test_30_visitor_sign_ups_from_one_address_stop_at_the_limit_people_with_an_account_do_not(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    visitor = client_for(None)
    codes = [
        visitor.post(sign_up_url(event), {"name": "Bot", "email": f"bot{number}@example.org"}).status_code
        for number in range(30)
    ]
    assert codes == [303] * VISITOR_SIGNUPS_PER_HOUR + [429] * (30 - VISITOR_SIGNUPS_PER_HOUR)
    response = visitor.post(sign_up_url(event), {"name": "Bot", "email": "bot31@example.org"})
    assert "Too many sign-ups" in response.content.decode()
    assert SignUp.objects.count() == VISITOR_SIGNUPS_PER_HOUR
    # None of them holds a confirmed seat: that needs each mailbox.
    assert not SignUp.objects.filter(status=SignUpStatus.CONFIRMED).exists()
    # Another address is not held back.
    other = client_for(None)
    response = other.post(sign_up_url(event), {"name": "Ann", "email": "ann@example.org"}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 303
    client = client_for(member)
    for _attempt in range(25):
        assert client.post(sign_up_url(event)).status_code == 303


# --- The waiting list and cancelling ----------------------------------------------------------------


def test_the_second_person_waits_and_gets_the_seat_when_the_first_cancels(
    member: User, nonmember: User, on_commit: Any
) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1, attendance=Attendance.ONLINE, video_url=VIDEO)
    lotte, julien = client_for(member), client_for(nonmember)
    assert lotte.post(sign_up_url(event)).status_code == 303
    response = julien.post(sign_up_url(event))
    html = julien.get(response["Location"]).content.decode()
    assert "you are on the waiting list, number 1" in html
    assert "You are on the waiting list: number 1." in html
    assert "Leave the waiting list for Afterwork in Ghent" in html
    assert VIDEO not in html
    assert "Full — waiting list" in client_for(None).get(event_url(event)).content.decode()

    mail.outbox.clear()
    with on_commit():
        response = lotte.post(cancel_url(event))
    assert response.status_code == 303 and response["Location"] == event_url(event)
    assert SignUp.objects.get(user=member).status == SignUpStatus.CANCELLED
    assert SignUp.objects.get(user=nonmember).status == SignUpStatus.CONFIRMED
    assert [email.to for email in mail.outbox] == [["julien@example.org"]]
    after = lotte.get(event_url(event)).content.decode()
    assert "Your sign-up is cancelled." in after
    assert "You cancelled your sign-up." in after
    assert "Join the waiting list for Afterwork in Ghent" in after
    assert VIDEO not in after
    assert VIDEO in julien.get(event_url(event)).content.decode()


def test_the_waiting_list_is_served_in_order(member: User, nonmember: User, outsider: User) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1)
    services.sign_up(event_id=event.pk, user=member)
    first = services.sign_up(event_id=event.pk, user=nonmember, now=timezone.now() - timedelta(seconds=2))
    second = services.sign_up(event_id=event.pk, user=outsider)
    assert "number 2." in client_for(outsider).get(event_url(event)).content.decode()
    assert client_for(member).post(cancel_url(event)).status_code == 303
    statuses = dict(SignUp.objects.filter(pk__in=[first.pk, second.pk]).values_list("user_id", "status"))
    assert statuses == {nonmember.pk: SignUpStatus.CONFIRMED, outsider.pk: SignUpStatus.WAITING}
    assert "You are on the waiting list: number 1." in client_for(outsider).get(event_url(event)).content.decode()


def test_cancelling_without_a_sign_up_is_not_found(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC)
    assert client_for(member).post(cancel_url(event)).status_code == 404
    services.cancel_sign_up(signup_id=services.sign_up(event_id=event.pk, user=member).pk)
    assert client_for(member).post(cancel_url(event)).status_code == 404


def test_a_visitor_cannot_cancel_through_the_account_route(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    response = client_for(None).post(cancel_url(event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_cancelling_after_the_start_shows_the_reason(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC, days=-0.01)
    services.sign_up(event_id=event.pk, user=member, now=event.starts_at - timedelta(hours=1))
    response = client_for(member).post(cancel_url(event))
    assert response.status_code == 400
    assert "This event has started: it can no longer be cancelled." in response.content.decode()
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED


# --- The personal page of a sign-up -----------------------------------------------------------------


def test_the_personal_page_shows_the_seat_the_video_link_and_the_agenda(staff: User) -> None:
    event = make_event(audience=Audience.MEMBERS, attendance=Attendance.ONLINE, video_url=VIDEO, agenda="**Intro**")
    guest = services.invite_guest(by=staff, event=event, name="Eva Expert", email="eva@example.org", language="en")
    response = client_for(None).get(personal_url(guest))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in html
    assert "You are invited: a seat is kept for you." in html
    assert VIDEO in html
    assert "<strong>Intro</strong>" in html
    assert "Decline the invitation to Afterwork in Ghent" in html


def test_a_guest_declines_on_the_personal_page(staff: User, member: User, on_commit: Any) -> None:
    event = make_event(audience=Audience.MEMBERS, capacity=1)
    guest = services.invite_guest(by=staff, event=event, name="Eva Expert", email="eva@example.org", language="en")
    services.sign_up(event_id=event.pk, user=member)
    client = client_for(None)
    mail.outbox.clear()
    with on_commit():
        response = client.post(personal_url(guest))
    assert response.status_code == 303 and response["Location"] == personal_url(guest)
    assert SignUp.objects.get(pk=guest.pk).status == SignUpStatus.CANCELLED
    assert SignUp.objects.get(user=member).status == SignUpStatus.CONFIRMED  # the person waiting got the seat
    assert [email.to for email in mail.outbox] == [["lotte@example.org"]]
    html = client.get(personal_url(guest)).content.decode()
    assert "You declined the invitation." in html
    assert "Decline the invitation" not in html


def test_a_waiting_visitor_sees_their_position_and_no_video_link(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1, attendance=Attendance.ONLINE, video_url=VIDEO)
    services.sign_up(event_id=event.pk, user=member)
    first = services.sign_up(event_id=event.pk, name="Zoë", email="zoe@example.org")
    second = services.sign_up(event_id=event.pk, name="Yann", email="yann@example.org")
    assert first.hold_until is None  # full: no seat is kept
    services.confirm_visitor_sign_up(token=first.token)
    services.confirm_visitor_sign_up(token=second.token)
    html = client_for(None).get(personal_url(second)).content.decode()
    assert "You are on the waiting list: number 2." in html
    assert VIDEO not in html
    assert "Zoë" not in html and "Lotte" not in html
    assert "number 1." in client_for(None).get(personal_url(first)).content.decode()


def test_a_cancelled_event_hides_the_video_link_on_the_personal_page(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC, attendance=Attendance.ONLINE, video_url=VIDEO)
    signup = services.sign_up(event_id=event.pk, name="Zoë", email="zoe@example.org")
    services.cancel_event(by=None, event=event)
    html = client_for(None).get(personal_url(signup)).content.decode()
    assert "This event was cancelled." in html
    assert VIDEO not in html


def test_an_unknown_personal_link_is_not_found(db: Any) -> None:
    assert client_for(None).get("/en/events/s/not-a-token/").status_code == 404
    assert client_for(None).post("/en/events/s/not-a-token/").status_code == 404


def test_the_personal_page_refuses_other_methods(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    signup = services.sign_up(event_id=event.pk, name="Zoë", email="zoe@example.org")
    assert client_for(None).put(personal_url(signup)).status_code == 405


def test_the_personal_link_in_the_email_works(db: Any, on_commit: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    with on_commit():
        services.sign_up(event_id=event.pk, name="Zoë", email="zoe@example.org")
    body = str(mail.outbox[0].body)
    match = re.search(r"https?://[^/\s]+(/(?:nl|fr|en)/events/s/\S+/)", body)
    assert match, body
    assert client_for(None).get(match.group(1)).status_code == 200
