"""The member side: my proposal (accept, decline), the group's page, inviting someone, the personal home."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from conftest import client_for, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.groups import services
from coopsip.groups.models import GroupStatus, OfficeAdvisor, Seat, SeatState, WorkingGroup
from coopsip.groups.tests.factories import accept_all, make_edition, make_registrant, opened_groups
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Any:
    return make_edition()


@pytest.fixture
def groups(edition: Any, staff: User) -> list[WorkingGroup]:
    return opened_groups(edition, staff, [4, 4])


def user(email: str) -> User:
    return User.objects.get(email=email)


def proposal_url(edition: Any) -> str:
    return reverse("groups:proposal", kwargs={"slug": edition.slug})


def test_the_proposal_page_shows_the_group_the_officers_first_names_and_the_deadline(
    edition: Any, groups: list[WorkingGroup]
) -> None:
    response = client_for(user("m2@example.org")).get(proposal_url(edition))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Care" in html and "By video" in html and "Tuesday morning" in html
    assert "M0" in html and "M1" in html and "M0 Test" not in html  # first names only
    assert "Please answer by" in html
    assert "I take part for the whole period" in html
    assert "The place is too far for me" in html


def test_a_person_accepts_and_then_sees_the_group_page_once_it_is_active(
    edition: Any, groups: list[WorkingGroup], on_commit: Any
) -> None:
    group = groups[0]
    for seat in group.seats.exclude(registration__user__email="m3@example.org"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="x")
    last = Seat.objects.get(registration__user__email="m3@example.org")
    client = client_for(user("m3@example.org"))
    response = client.post(reverse("groups:accept", kwargs={"pk": last.pk}), {"confirm": "on", "share_contact": "on"})
    assert response.status_code == 303
    assert response["Location"] == reverse("groups:detail", kwargs={"pk": group.pk})
    last.refresh_from_db()
    assert last.state == SeatState.ACCEPTED and last.share_contact
    page = client.get(response["Location"]).content.decode()
    assert "m3@example.org" in page  # shared
    assert "m0@example.org" not in page  # not shared


def test_accepting_without_ticking_the_commitment_is_refused_with_the_reason(
    edition: Any, groups: list[WorkingGroup]
) -> None:
    seat = Seat.objects.get(registration__user__email="m2@example.org")
    response = client_for(user("m2@example.org")).post(reverse("groups:accept", kwargs={"pk": seat.pk}), {})
    assert response.status_code == 400
    assert "Tick the commitment" in response.content.decode()
    seat.refresh_from_db()
    assert seat.state == SeatState.OFFERED


def test_declining_with_another_reason_needs_words_then_records_them(edition: Any, groups: list[WorkingGroup]) -> None:
    seat = Seat.objects.get(registration__user__email="m2@example.org")
    client = client_for(user("m2@example.org"))
    url = reverse("groups:decline", kwargs={"pk": seat.pk})
    response = client.post(url, {"reason": "other", "text": ""})
    assert response.status_code == 400
    assert "Tell us the reason in a few words." in response.content.decode()
    response = client.post(url, {"reason": "other", "text": "I start a new job."})
    assert response.status_code == 303
    seat.refresh_from_db()
    assert (seat.state, seat.decline_text) == (SeatState.DECLINED, "I start a new job.")
    # Answering again is refused, with the reason.
    response = client.post(reverse("groups:accept", kwargs={"pk": seat.pk}), {"confirm": "on"})
    assert response.status_code == 400
    assert "already declined" in response.content.decode()


def test_nobody_answers_for_someone_else(edition: Any, groups: list[WorkingGroup], member: User) -> None:
    seat = Seat.objects.get(registration__user__email="m2@example.org")
    for person in (member, user("o2@example.org")):
        client = client_for(person)
        assert client.post(reverse("groups:accept", kwargs={"pk": seat.pk}), {"confirm": "on"}).status_code == 403
        assert client.post(reverse("groups:decline", kwargs={"pk": seat.pk}), {"reason": "no_time"}).status_code == 403
    response = client_for(None).post(reverse("groups:accept", kwargs={"pk": seat.pk}), {"confirm": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(member).get(reverse("groups:accept", kwargs={"pk": seat.pk})).status_code == 405
    seat.refresh_from_db()
    assert seat.state == SeatState.OFFERED


def test_the_proposal_page_of_someone_not_registered_says_so(edition: Any, member: User) -> None:
    response = client_for(member).get(proposal_url(edition))
    assert response.status_code == 200
    assert "You are not registered for this edition." in response.content.decode()
    assert client_for(None).get(proposal_url(edition)).status_code == 302


def test_the_group_page_is_for_its_members_its_advisor_staff_and_board_only(
    edition: Any, groups: list[WorkingGroup], personas: dict[str, Any]
) -> None:
    group_a, group_b = groups
    accept_all(group_a)
    accept_all(group_b)
    url_a = reverse("groups:detail", kwargs={"pk": group_a.pk})
    url_b = reverse("groups:detail", kwargs={"pk": group_b.pk})
    for role in ("outsider", "nonmember", "member"):
        assert client_for(personas[role]).get(url_a).status_code == 403, role
    assert client_for(None).get(url_a).status_code == 302
    for role in ("staff", "board"):
        assert client_for(personas[role]).get(url_a).status_code == 200, role
    member_of_a = client_for(user("m2@example.org"))
    assert member_of_a.get(url_a).status_code == 200
    # A member of group A changing the id in the address reaches nothing of group B.
    assert member_of_a.get(url_b).status_code == 403
    assert (
        member_of_a.post(reverse("groups:invite", kwargs={"pk": group_b.pk}), {"identifier": "x@y.z"}).status_code
        == 403
    )
    seat_b = Seat.objects.get(registration__user__email="o2@example.org")
    assert (
        member_of_a.post(reverse("groups:decline", kwargs={"pk": seat_b.pk}), {"reason": "no_time"}).status_code == 403
    )
    assert client_for(user("m2@example.org")).get(reverse("groups:detail", kwargs={"pk": 99999})).status_code == 404


def test_the_advisor_of_the_groups_office_reads_its_page(
    edition: Any, groups: list[WorkingGroup], member: User
) -> None:
    group = groups[0]
    gent = Office.objects.get(slug="gent")
    WorkingGroup.objects.filter(pk=group.pk).update(office=gent, mode="in_person")
    url = reverse("groups:detail", kwargs={"pk": group.pk})
    assert client_for(member).get(url).status_code == 403
    OfficeAdvisor.objects.create(office=gent, user=member)
    assert client_for(member).get(url).status_code == 200
    other = Office.objects.exclude(pk=gent.pk).first()
    WorkingGroup.objects.filter(pk=group.pk).update(office=other)
    assert client_for(member).get(url).status_code == 403


def test_the_group_page_shows_the_groupspace_links_meetings_and_phases(
    edition: Any, groups: list[WorkingGroup]
) -> None:
    group = groups[0]
    accept_all(group)
    group.refresh_from_db()
    html = client_for(user("m2@example.org")).get(reverse("groups:detail", kwargs={"pk": group.pk})).content.decode()
    assert "Finding a date" in html and "Documents" in html and "Discussion" in html
    assert "M0 Test" in html and "(moderator)" in html
    assert "No meeting planned yet." in html


def _member(email: str, number: str) -> User:
    person = make_person(email, first_name=email.split("@")[0].title())
    link_to_register(person, number=number, status=MembershipStatus.MEMBER)
    return person


def test_the_secretary_invites_a_member_who_accepts_before_joining(
    edition: Any, groups: list[WorkingGroup], on_commit: Any
) -> None:
    group = groups[0]
    accept_all(group)
    group.refresh_from_db()
    guest = _member("guest@example.org", "990001")
    secretary = client_for(user("m1@example.org"))
    with translation.override("en"):
        url = reverse("groups:invite", kwargs={"pk": group.pk})
    mail.outbox.clear()
    with on_commit():
        response = secretary.post(url, {"identifier": "990001"})
    assert response.status_code == 303
    seat = Seat.objects.get(registration__user=guest)
    assert (seat.state, seat.source, seat.invited_by.email) == ("offered", "invitation", "m1@example.org")  # type: ignore[union-attr]
    (invitation,) = [m for m in mail.outbox if m.to == ["guest@example.org"]]
    assert "M1 nodigt je uit" in invitation.body  # in the invitee's language (Dutch)
    # The secretary works in English; the link opens the invitee's Dutch pages.
    with translation.override("nl"):
        dutch_link = reverse("groups:proposal", kwargs={"slug": edition.slug})
    assert dutch_link.startswith("/nl/") and dutch_link in invitation.body
    assert not group.circle.memberships.filter(user=guest).exists()  # type: ignore[union-attr]
    client_for(guest).post(reverse("groups:accept", kwargs={"pk": seat.pk}), {"confirm": "on"})
    assert group.circle.memberships.filter(user=guest).exists()  # type: ignore[union-attr]


def test_invitations_are_refused_with_why(edition: Any, groups: list[WorkingGroup], nonmember: User) -> None:
    group_a = groups[0]
    accept_all(group_a)
    secretary = client_for(user("m1@example.org"))
    url = reverse("groups:invite", kwargs={"pk": group_a.pk})

    def refusal(identifier: str) -> str:
        response = secretary.post(url, {"identifier": identifier})
        assert response.status_code == 400
        return response.content.decode()

    assert "is not a member of the cooperative" in refusal(nonmember.email)
    assert "already in a group of this edition" in refusal("o2@example.org")
    assert "Nobody with this email address" in refusal("nobody@example.org")
    _member("fifth@example.org", "990005")
    assert secretary.post(url, {"identifier": "fifth@example.org"}).status_code == 303
    _member("sixth@example.org", "990006")
    assert "The group is full" in refusal("sixth@example.org")  # at most 5
    # A participant may not invite.
    assert client_for(user("m2@example.org")).post(url, {"identifier": "x@example.org"}).status_code == 403
    assert Seat.objects.filter(group=group_a, state__in=("offered", "accepted")).count() == 5


def test_an_in_person_group_invites_only_people_of_its_office_or_region(
    edition: Any, groups: list[WorkingGroup]
) -> None:
    group = groups[0]
    accept_all(group)
    far = Office.objects.get(slug="gent")
    WorkingGroup.objects.filter(pk=group.pk).update(office=far, mode="in_person")
    # Lives about 65 km from Gent (every test municipality lies at 50.5 N, 4.0 E), registered at another office.
    make_registrant(edition, "Elsewhere", office=Office.objects.exclude(pk=far.pk).first())
    response = client_for(user("m1@example.org")).post(
        reverse("groups:invite", kwargs={"pk": group.pk}), {"identifier": "elsewhere@example.org"}
    )
    assert response.status_code == 400
    assert "does not belong to the office or region" in response.content.decode()


def test_my_smart_in_progress_lists_the_proposal_with_its_deadline_then_the_group(
    edition: Any, groups: list[WorkingGroup]
) -> None:
    client = client_for(user("m2@example.org"))
    html = client.get(reverse("home:me")).content.decode()
    assert "Answer your proposed working group" in html
    assert "Answer by" in html
    assert "My registration for" in html
    accept_all(groups[0])
    html = client.get(reverse("home:me")).content.decode()
    assert "My working group" in html and "Answer your proposed" not in html
    assert groups[0].status == GroupStatus.WAITING  # the fixture's copy; the page read the database
    assert client_for(None).get(reverse("home:me")).status_code == 302


def test_my_smart_in_progress_of_a_newcomer_says_there_is_nothing_yet(member: User) -> None:
    response = client_for(member).get(reverse("home:me"))
    assert response.status_code == 200
    assert "Nothing for you right now." in response.content.decode()
    assert 'href="/en/me/"' in response.content.decode()  # the header link


def test_the_advisor_of_the_groups_office_reads_its_space_but_does_not_post(
    edition: Any, groups: list[WorkingGroup], member: User
) -> None:
    group = groups[0]
    accept_all(group)
    group.refresh_from_db()
    gent = Office.objects.get(slug="gent")
    WorkingGroup.objects.filter(pk=group.pk).update(office=gent, mode="in_person")
    assert not member.has_perm("groupspace.view", group.circle)
    OfficeAdvisor.objects.create(office=gent, user=member)
    advisor = User.objects.get(pk=member.pk)  # a fresh object: permissions are cached per request
    assert advisor.has_perm("groupspace.view", group.circle)
    assert not advisor.has_perm("groupspace.post", group.circle)


# Session, user, roles, the group, its members, meetings, pending seats, phases, the space's links…: the same for
# 4 members and 1 meeting as for 12 members and 10 meetings; the header's membership check and the space's
# contributions tab add one each.
GROUP_PAGE_QUERIES = 15


@pytest.mark.parametrize(("size", "meetings"), [(4, 1), (12, 10)])
def test_the_group_page_runs_a_fixed_number_of_queries(staff: User, size: int, meetings: int) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coopsip.events.models import Event

    edition = make_edition(group_size_min=3, group_size_max=12)
    (group,) = opened_groups(edition, staff, [size])
    accept_all(group)
    group.refresh_from_db()
    now = timezone.now()
    for week in range(meetings):
        start = now + timedelta(days=7 * (week - meetings // 2))
        Event.objects.create(
            title=f"Meeting {week}",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            attendance="online",
            video_url="https://video.example.org/x",
            audience="circle",
            circle=group.circle,
            kind="group_meeting",
        )
    client = client_for(user("m0@example.org"))
    url = reverse("groups:detail", kwargs={"pk": group.pk})
    client.get(url)  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("M0 Test") >= 1
    assert len(queries) == GROUP_PAGE_QUERIES, [q["sql"][:120] for q in queries]


def test_a_passed_deadline_is_over_on_every_page_even_before_the_deadlines_task_ran(edition: Any, staff: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    opened_groups(edition, staff, [4], now=timezone.now() - timedelta(days=60))
    seat = Seat.objects.get(registration__user__email="m2@example.org")
    assert seat.state == SeatState.OFFERED  # the task that expires seats has not run
    client = client_for(user("m2@example.org"))
    html = client.get(proposal_url(edition)).content.decode()
    assert "it has passed, so you can no longer accept this group" in html
    assert "Please answer by" not in html and "Accept this group" not in html
    home = client.get(reverse("home:me")).content.decode()
    assert "The deadline to answer was" in home and "it has passed" in home
    assert "Answer by" not in home and "Accept or decline" not in home
    response = client.post(reverse("groups:accept", kwargs={"pk": seat.pk}), {"confirm": "on"})
    html = response.content.decode()
    assert "it has passed, so nothing was changed" in html
    assert "went to someone else" not in html
    seat.refresh_from_db()
    assert seat.state == SeatState.OFFERED


def test_the_group_space_names_the_theme_in_the_readers_language(
    edition: Any, groups: list[WorkingGroup], staff: User
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coopsip.groupspace import services as space_services

    group = groups[0]
    theme = group.theme
    theme.title_nl, theme.title_fr, theme.title_en = "Zorg", "Soin", "Care"
    theme.save()
    with translation.override("nl"):  # the group starts while the team works in Dutch
        accept_all(group)
    group.refresh_from_db()
    circle = group.circle
    assert circle is not None and circle.name.startswith("Zorg")
    moderator = user("m0@example.org")
    start = timezone.now() + timedelta(days=7)
    poll = space_services.create_poll(
        by=moderator, circle=circle, title="Meeting 2", options=[(start, start + timedelta(hours=2))], notify=False
    )
    client = client_for(user("m2@example.org"))
    pages = ["polls", "poll_create", "documents", "threads", "guests"]
    for language, theme_name in (("fr", "Soin"), ("en", "Care")):
        with translation.override(language):
            urls = [reverse(f"groupspace:{name}", kwargs={"circle_pk": circle.pk}) for name in pages]
            urls.append(reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": poll.pk}))
            urls.append(reverse("home:me"))
        for url in urls:
            response = client.get(url)
            if response.status_code == 403:  # the guests page is for the officers only
                response = client_for(moderator).get(url)
            html = response.content.decode()
            assert response.status_code == 200, url
            assert f"{theme_name} – " in html and "Zorg" not in html, url
    # The emails of the group space name it in each member's language too.
    from coopsip.core import notifications
    from coopsip.core.models import OutgoingEmail
    from coopsip.groupspace.tasks import send_post_notifications

    reader = user("m2@example.org")
    reader.preferred_language = "fr"
    reader.save()
    notifications.set_delivery(user=reader, topic=space_services.TOPIC_DISCUSSION, delivery=notifications.EACH)
    thread = space_services.start_thread(by=moderator, circle=circle, title="Agenda", body="First")
    post = thread.posts.get()
    with translation.override("nl"):  # the worker runs in the site's language
        send_post_notifications.call(post.pk)
    (subject,) = OutgoingEmail.objects.filter(
        to_email="m2@example.org", key__startswith=f"notify:groupspace:post:{post.pk}:"
    ).values_list("subject", flat=True)
    assert "Soin – " in subject and "Zorg" not in subject


def test_the_group_page_shows_the_groups_own_meetings_phase_by_phase(edition: Any, groups: list[WorkingGroup]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coopsip.editions.models import Phase, PhaseKind
    from coopsip.editions.phases import BRUSSELS
    from coopsip.events.models import Event

    group = groups[0]
    accept_all(group)
    group.refresh_from_db()
    now = timezone.now()
    today = now.astimezone(BRUSSELS).date()
    Phase.objects.create(
        edition=edition,
        kind=PhaseKind.STUDY,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        meetings_min=3,
        meetings_max=4,
    )
    for days in (-20, -10, 10):
        start = now + timedelta(days=days)
        Event.objects.create(
            title=f"Meeting {days}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            attendance="online",
            video_url="https://video.example.org/x",
            audience="circle",
            circle=group.circle,
            kind="group_meeting",
        )
    html = client_for(user("m2@example.org")).get(reverse("groups:detail", kwargs={"pk": group.pk})).content.decode()
    assert "The group&#x27;s meetings, phase by phase" in html or "The group's meetings, phase by phase" in html
    assert "Studying the theme (now)" in html
    assert "2 held, 1 to come · the phase plans 3–4 meetings" in html
