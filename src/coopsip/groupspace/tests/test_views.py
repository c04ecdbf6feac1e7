"""The group space's pages as people use them: proposing dates, answering, choosing, documents, discussion."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone

from conftest import client_for
from coopsip.core import personal_home
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Event, SignUp, SignUpStatus
from coopsip.events.tests.factories import make_event
from coopsip.groupspace import services
from coopsip.groupspace.models import DateAnswer, Document, Post

from .conftest import soon

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n"


def _poll(circle: Any, by: Any) -> Any:
    return services.create_poll(by=by, circle=circle, title="Meeting 2", options=[soon(7), soon(8)])


# --- Finding a date -----------------------------------------------------------------------


def test_the_moderator_proposes_dates_through_the_form(circle: Any, moderator: Any) -> None:
    day = (timezone.now() + timedelta(days=10)).astimezone(BRUSSELS).date()
    response = client_for(moderator).post(
        reverse("groupspace:poll_create", kwargs={"circle_pk": circle.pk}),
        {
            "title": "Meeting 2: ideas",
            "day_1": day.isoformat(), "start_1": "19:00", "end_1": "22:00",
            "day_2": (day + timedelta(days=1)).isoformat(), "start_2": "09:30", "end_2": "12:30",
        },
    )  # fmt: skip
    assert response.status_code == 303
    poll = circle.date_polls.get()
    starts = [o.starts_at.astimezone(BRUSSELS) for o in poll.options.all()]
    assert [(s.date(), s.hour, s.minute) for s in starts] == [(day, 19, 0), (day + timedelta(days=1), 9, 30)]


def test_a_poll_without_dates_or_with_a_half_filled_row_shows_why(circle: Any, moderator: Any) -> None:
    url = reverse("groupspace:poll_create", kwargs={"circle_pk": circle.pk})
    response = client_for(moderator).post(url, {"title": "Meeting 2"})
    assert response.status_code == 400
    assert "Propose at least one date and time." in response.content.decode()
    response = client_for(moderator).post(url, {"title": "Meeting 2", "day_1": "2030-01-10"})
    assert response.status_code == 400
    assert "Give the date, the start and the end time." in response.content.decode()
    assert not circle.date_polls.exists()


def test_a_member_answers_and_sees_the_best_date(circle: Any, moderator: Any, member: Any) -> None:
    poll = _poll(circle, moderator)
    first, second = poll.options.all()
    client = client_for(member)
    response = client.post(
        reverse("groupspace:poll_answer", kwargs={"circle_pk": circle.pk, "pk": poll.pk}),
        {f"option_{first.pk}": "no", f"option_{second.pk}": "yes"},
    )
    assert response.status_code == 303
    page = client.get(reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": poll.pk})).content.decode()
    assert "(best)" in page
    best_row = page.split('class="best"')[1].split("</tr>")[0]
    assert formats.date_format(second.starts_at.astimezone(BRUSSELS), "l j F Y") in best_row
    assert DateAnswer.objects.filter(user=member).count() == 2


def test_answering_a_closed_poll_says_why_and_changes_nothing(circle: Any, moderator: Any, member: Any) -> None:
    poll = _poll(circle, moderator)
    option = poll.options.first()
    services.choose_date(by=moderator, poll=poll, option_id=option.pk, address="Rue Haute 1, Gent")
    response = client_for(member).post(
        reverse("groupspace:poll_answer", kwargs={"circle_pk": circle.pk, "pk": poll.pk}),
        {f"option_{option.pk}": "yes"},
    )
    assert response.status_code == 400
    assert "This poll is closed" in response.content.decode()
    assert not DateAnswer.objects.exists()


def test_the_secretary_chooses_a_date_and_the_meeting_seats_everyone(
    circle: Any, secretary: Any, moderator: Any
) -> None:
    poll = _poll(circle, moderator)
    option = poll.options.last()
    response = client_for(secretary).post(
        reverse("groupspace:poll_choose", kwargs={"circle_pk": circle.pk, "pk": poll.pk}),
        {"option": option.pk, "attendance": "online", "video_url": "https://meet.example.org/theme-a"},
    )
    event = Event.objects.get(circle=circle)
    assert response.status_code == 303 and response["Location"] == reverse("events:detail", kwargs={"pk": event.pk})
    assert event.starts_at == option.starts_at
    assert SignUp.objects.filter(event=event, status=SignUpStatus.CONFIRMED).count() == 4


def test_choosing_without_a_place_shows_the_events_reason(circle: Any, secretary: Any, moderator: Any) -> None:
    poll = _poll(circle, moderator)
    response = client_for(secretary).post(
        reverse("groupspace:poll_choose", kwargs={"circle_pk": circle.pk, "pk": poll.pk}),
        {"option": poll.options.first().pk, "attendance": "in_person"},
    )
    assert response.status_code == 400
    assert "Choose a place or give an address." in response.content.decode()
    assert not Event.objects.exists()


def test_open_polls_awaiting_an_answer_are_on_the_personal_home(
    circle: Any, moderator: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    poll = _poll(circle, moderator)
    from coopsip.groupspace.home import open_polls

    with django_assert_max_num_queries(1):
        items = list(open_polls(member))
    assert [item.urgency for item in items] == [personal_home.Urgency.ACT_NOW]
    assert items[0].url == reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": poll.pk})
    assert "groupspace" in personal_home.providers()
    # Once answered, it leaves the home; with five more polls, still one query.
    services.answer_poll(by=member, poll=poll, answers={poll.options.first().pk: "yes"})
    for _ in range(5):
        _poll(circle, moderator)
    with django_assert_max_num_queries(1):
        items = list(open_polls(member))
    assert len(items) == 5 and all(
        item.url != reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": poll.pk}) for item in items
    )


# --- Documents --------------------------------------------------------------------------------


def test_the_secretary_uploads_a_document_and_a_member_downloads_it(
    circle: Any, secretary: Any, member: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    url = reverse("groupspace:documents", kwargs={"circle_pk": circle.pk})
    response = client_for(secretary).post(url, {"title": "Minutes 1", "file": SimpleUploadedFile("m.pdf", PDF)})
    assert response.status_code == 303
    document = Document.objects.get()
    page = client_for(member).get(url).content.decode()
    assert "Minutes 1" in page and "Sam Test" in page
    download = client_for(member).get(
        reverse("groupspace:document_file", kwargs={"circle_pk": circle.pk, "pk": document.pk})
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="m.pdf"' in download["Content-Disposition"]


def test_a_lying_upload_is_refused_on_the_page(circle: Any, member: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    response = client_for(member).post(
        reverse("groupspace:documents", kwargs={"circle_pk": circle.pk}),
        {"file": SimpleUploadedFile("evil.pdf", b"<script>")},
    )
    assert response.status_code == 400
    assert "does not match its extension (.pdf)" in response.content.decode()
    assert not Document.objects.exists()


def test_deleting_a_document_asks_first(circle: Any, secretary: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    document = services.add_document(by=secretary, circle=circle, url="https://pad.example.org/a", title="Pad")
    url = reverse("groupspace:document_delete", kwargs={"circle_pk": circle.pk, "pk": document.pk})
    client = client_for(secretary)
    page = client.get(url).content.decode()
    assert "Delete “Pad” for the whole group?" in page and Document.objects.exists()
    assert client.post(url).status_code == 303
    assert not Document.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_the_documents_page_has_a_fixed_number_of_queries(
    circle: Any, secretary: Any, member: Any, count: int, django_assert_num_queries: Any
) -> None:
    for index in range(count):
        services.add_document(by=secretary, circle=circle, url=f"https://pad.example.org/{index}", title=f"Doc {index}")
    client = client_for(member)
    url = reverse("groupspace:documents", kwargs={"circle_pk": circle.pk})
    client.get(url)  # warm the session and the user's cached groups
    # 16 at both sizes: the header asks once whether the reader is a member (register entry), the group space's
    # tabs whether the group's theme has contributions.
    with django_assert_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("pad.example.org/") == min(count, 25)


# --- Discussion -------------------------------------------------------------------------------


def test_scripts_and_javascript_links_in_messages_are_harmless(circle: Any, member: Any, secretary: Any) -> None:
    thread = services.start_thread(
        by=member,
        circle=circle,
        title="<script>alert('t')</script>",
        body="Hi <script>alert(1)</script> [click](javascript:alert(2)) <javascript:alert(4)> "
        "<img src=x onerror=alert(3)> [ok](https://example.org) **bold**",
    )
    page = (
        client_for(secretary)
        .get(reverse("groupspace:thread", kwargs={"circle_pk": circle.pk, "pk": thread.pk}))
        .content.decode()
    )
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page and "<img" not in page
    assert "<strong>bold</strong>" in page and 'href="https://example.org"' in page


def test_a_member_starts_a_thread_and_another_replies(circle: Any, member: Any, secretary: Any) -> None:
    response = client_for(member).post(
        reverse("groupspace:threads", kwargs={"circle_pk": circle.pk}), {"title": "Budget", "body": "Ideas?"}
    )
    assert response.status_code == 303
    thread = circle.threads.get()
    response = client_for(secretary).post(
        reverse("groupspace:thread", kwargs={"circle_pk": circle.pk, "pk": thread.pk}), {"body": "Yes: *two*."}
    )
    assert response.status_code == 303
    last = Post.objects.order_by("pk").last()
    assert response["Location"].endswith(f"?page=1#post-{last.pk}")
    page = client_for(member).get(response["Location"]).content.decode()
    assert "<em>two</em>" in page and "Sam Test" in page


def test_an_empty_reply_is_refused(circle: Any, member: Any) -> None:
    thread = services.start_thread(by=member, circle=circle, title="Budget", body="Ideas?")
    response = client_for(member).post(
        reverse("groupspace:thread", kwargs={"circle_pk": circle.pk, "pk": thread.pk}), {"body": "  "}
    )
    assert response.status_code == 400 and "Write a message." in response.content.decode()


@pytest.mark.parametrize("posts", [20, 200])
def test_the_thread_page_has_a_fixed_number_of_queries(
    circle: Any, member: Any, secretary: Any, posts: int, django_assert_num_queries: Any
) -> None:
    thread = services.start_thread(by=secretary, circle=circle, title="Long", body="First")
    Post.objects.bulk_create(
        [Post(thread=thread, author=member if i % 2 else secretary, body=f"Message **{i}**") for i in range(posts - 1)]
    )
    client = client_for(member)
    url = reverse("groupspace:thread", kwargs={"circle_pk": circle.pk, "pk": thread.pk})
    client.get(url)
    with django_assert_num_queries(16):  # as the documents page (see there)
        response = client.get(url + "?page=2")
    assert response.status_code == 200
    # Page 2 (the last page when there is only one): 50 messages of 200, all 20 of 20.
    assert response.content.decode().count('<article aria-labelledby="post-') == min(50, posts)


@pytest.mark.parametrize("count", [3, 40])
def test_the_threads_page_is_bounded(circle: Any, member: Any, count: int, django_assert_num_queries: Any) -> None:
    for index in range(count):
        services.start_thread(by=member, circle=circle, title=f"Subject {index}", body="x")
    client = client_for(member)
    url = reverse("groupspace:threads", kwargs={"circle_pk": circle.pk})
    client.get(url)
    # 15 at both sizes: as the documents page, the header's membership check and the contributions tab.
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.content.decode().count("<h2><a href=") == min(count, 25)


# --- Guests -------------------------------------------------------------------------------------


def test_the_secretary_invites_an_expert_to_a_coming_meeting(circle: Any, secretary: Any, on_commit: Any) -> None:
    meeting = make_event(audience="circle", circle=circle, kind="group_meeting")
    mail.outbox.clear()
    with on_commit():
        response = client_for(secretary).post(
            reverse("groupspace:guests", kwargs={"circle_pk": circle.pk}),
            {
                "meeting": meeting.pk,
                "name": "Dr. Expert",
                "email": "expert@example.org",
                "language": "en",
                "role": "expert",
            },
        )
    assert response.status_code == 303
    guest = SignUp.objects.get(event=meeting, email="expert@example.org")
    assert guest.status == SignUpStatus.CONFIRMED and guest.guest_role == "expert" and guest.invited_by == secretary
    assert [m.to for m in mail.outbox] == [["expert@example.org"]]


def test_a_meeting_of_another_group_cannot_be_chosen_for_a_guest(
    circle: Any, other_circle: Any, secretary: Any
) -> None:
    theirs = make_event(audience="circle", circle=other_circle, kind="group_meeting")
    make_event(audience="circle", circle=circle, kind="group_meeting")
    response = client_for(secretary).post(
        reverse("groupspace:guests", kwargs={"circle_pk": circle.pk}),
        {"meeting": theirs.pk, "name": "X", "email": "x@example.org", "language": "en"},
    )
    assert response.status_code == 400
    assert not SignUp.objects.filter(event=theirs, email="x@example.org").exists()


def test_the_personal_home_page_asks_for_an_answer(circle: Any, moderator: Any, member: Any, bob: Any) -> None:
    poll = services.create_poll(by=moderator, circle=circle, title="Meeting 3", options=[soon(7)], notify=False)
    page = client_for(member).get(reverse("home:me")).content.decode()
    assert "When can you come? Meeting 3" in page
    assert reverse("groupspace:poll", kwargs={"circle_pk": circle.pk, "pk": poll.pk}) in page
    assert "Meeting 3" not in client_for(bob).get(reverse("home:me")).content.decode()
