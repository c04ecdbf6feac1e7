"""The group space's services: each change and each refusal with its reason."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coopsip.core.models import OutgoingEmail
from coopsip.events.models import Attendance, Audience, EventKind, SignUpStatus
from coopsip.groupspace import selectors, services
from coopsip.groupspace.models import Availability, DateAnswer, Document, Post, Thread
from coopsip.groupspace.services import GroupSpaceInvalid
from coopsip.notifications.models import PendingNotification

from .conftest import soon

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def poll_with_two_dates(circle: Any, by: Any) -> Any:
    return services.create_poll(by=by, circle=circle, title="Second meeting", options=[soon(7), soon(8)])


# --- Finding a date -----------------------------------------------------------------


def test_a_poll_needs_at_least_one_date(circle: Any, moderator: Any) -> None:
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.create_poll(by=moderator, circle=circle, title="Second meeting", options=[])
    assert refused.value.errors["options"] == "Propose at least one date and time."
    assert not circle.date_polls.exists()


def test_a_date_in_the_past_is_refused_with_the_date(circle: Any, moderator: Any) -> None:
    past = timezone.now() - timedelta(days=1)
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.create_poll(
            by=moderator, circle=circle, title="x", options=[soon(3), (past, past + timedelta(hours=2))]
        )
    assert "is in the past: propose dates to come." in refused.value.errors["options"]
    assert not circle.date_polls.exists()


def test_an_option_must_end_after_it_starts_and_not_repeat(circle: Any, moderator: Any) -> None:
    start, end = soon(3)
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.create_poll(by=moderator, circle=circle, title="x", options=[(end, start)])
    assert "must end after it starts" in refused.value.errors["options"]
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.create_poll(by=moderator, circle=circle, title="x", options=[(start, end), (start, end)])
    assert "Two options start at the same time" in refused.value.errors["options"]


def test_members_answer_and_the_best_option_has_the_most_yes_then_if_need_be(
    circle: Any, moderator: Any, member: Any, secretary: Any, pieter: Any
) -> None:
    poll = services.create_poll(by=moderator, circle=circle, title="x", options=[soon(7), soon(8), soon(9)])
    first, second, third = poll.options.order_by("starts_at")
    services.answer_poll(by=member, poll=poll, answers={first.pk: "yes", second.pk: "yes", third.pk: "no"})
    services.answer_poll(by=secretary, poll=poll, answers={first.pk: "no", second.pk: "yes", third.pk: "maybe"})
    services.answer_poll(by=pieter, poll=poll, answers={first.pk: "yes", second.pk: "maybe", third.pk: "yes"})
    ranked = selectors.ranked_options(poll)
    # first: 2 yes; second: 2 yes + 1 if need be → second is best; third: 1 yes + 1 if need be.
    assert [r.option for r in ranked] == [second, first, third]
    assert [r.best for r in ranked] == [True, False, False]
    assert (ranked[0].yes, ranked[0].if_need_be, ranked[0].no) == (2, 1, 0)


def test_answering_again_changes_the_answer(circle: Any, moderator: Any, member: Any) -> None:
    poll = poll_with_two_dates(circle, moderator)
    option = poll.options.first()
    services.answer_poll(by=member, poll=poll, answers={option.pk: "no"})
    services.answer_poll(by=member, poll=poll, answers={option.pk: "yes"})
    assert DateAnswer.objects.get(option=option, user=member).answer == Availability.YES


def test_a_non_member_cannot_answer(circle: Any, moderator: Any, bob: Any, staff: Any) -> None:
    poll = poll_with_two_dates(circle, moderator)
    for outsider in (bob, staff):
        with pytest.raises(GroupSpaceInvalid) as refused:
            services.answer_poll(by=outsider, poll=poll, answers={poll.options.first().pk: "yes"})
        assert refused.value.errors["__all__"] == "Only the members of this group answer its date polls."
    assert not DateAnswer.objects.exists()


def test_options_of_another_poll_and_unknown_answers_are_refused(
    circle: Any, other_circle: Any, moderator: Any, bob: Any, member: Any
) -> None:
    poll = poll_with_two_dates(circle, moderator)
    other = services.create_poll(by=bob, circle=other_circle, title="y", options=[soon(5)])
    with pytest.raises(GroupSpaceInvalid):
        services.answer_poll(by=member, poll=poll, answers={other.options.get().pk: "yes"})
    with pytest.raises(GroupSpaceInvalid):
        services.answer_poll(by=member, poll=poll, answers={poll.options.first().pk: "perhaps"})
    assert not DateAnswer.objects.exists()


def test_choosing_a_date_creates_the_group_meeting_and_seats_every_member(
    circle: Any, moderator: Any, member: Any, on_commit: Any
) -> None:
    poll = poll_with_two_dates(circle, moderator)
    option = poll.options.order_by("starts_at").last()
    with on_commit():
        event = services.choose_date(
            by=moderator, poll=poll, option_id=option.pk, attendance=Attendance.IN_PERSON, address="Rue Haute 1, Gent"
        )
    assert (event.kind, event.audience, event.circle) == (EventKind.GROUP_MEETING, Audience.CIRCLE, circle)
    assert (event.starts_at, event.ends_at) == (option.starts_at, option.ends_at)
    assert event.signups.filter(status=SignUpStatus.CONFIRMED).count() == 4
    poll.refresh_from_db()
    assert not poll.is_open and poll.chosen == option and poll.event == event
    # Members who chose the digest (the default) find the chosen date in it.
    assert PendingNotification.objects.filter(user=member, key=f"groupspace:poll:{poll.pk}:chosen").exists()


def test_after_the_choice_answers_and_a_second_choice_are_refused(circle: Any, moderator: Any, member: Any) -> None:
    poll = poll_with_two_dates(circle, moderator)
    option = poll.options.first()
    services.choose_date(by=moderator, poll=poll, option_id=option.pk, address="Rue Haute 1, Gent")
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.answer_poll(by=member, poll=poll, answers={option.pk: "yes"})
    assert "This poll is closed" in refused.value.errors["__all__"]
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.choose_date(by=moderator, poll=poll, option_id=option.pk, address="Rue Haute 1, Gent")
    assert refused.value.errors["__all__"] == "A date was already chosen for this poll."
    assert circle.events.count() == 1


def test_a_meeting_without_place_or_link_is_refused_and_the_poll_stays_open(circle: Any, moderator: Any) -> None:
    poll = poll_with_two_dates(circle, moderator)
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.choose_date(by=moderator, poll=poll, option_id=poll.options.first().pk)
    assert refused.value.errors["place"] == "Choose a place or give an address."
    poll.refresh_from_db()
    assert poll.is_open and not circle.events.exists()


def test_a_past_option_cannot_be_chosen(circle: Any, moderator: Any) -> None:
    poll = poll_with_two_dates(circle, moderator)
    option = poll.options.first()
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.choose_date(
            by=moderator, poll=poll, option_id=option.pk, address="x", now=option.starts_at + timedelta(minutes=1)
        )
    assert "This date is past" in refused.value.errors["option"]


# --- Documents ------------------------------------------------------------------------


def test_an_uploaded_pdf_is_stored_under_a_generated_name_with_who_and_when(
    circle: Any, secretary: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("../../Verslag <script>.pdf", PDF, content_type="application/pdf")
    document = services.add_document(by=secretary, circle=circle, upload=upload)
    assert document.file.name.startswith(f"groupspace/{circle.pk}/verslag-script-")
    assert document.file.name.endswith(".pdf") and ".." not in document.file.name
    assert document.title == "Verslag <script>.pdf" and document.added_by == secretary and document.added_at


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ...", "Choose a PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV file."),
        ("notes.pdf", b"<html><script>alert(1)</script>", "does not match its extension (.pdf)"),
        ("table.docx", b"PK\x03\x04not really a zip", "does not match its extension (.docx)"),
    ],
)
def test_uploads_that_lie_about_their_type_are_refused(
    circle: Any, secretary: Any, name: str, content: bytes, message: str, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.add_document(by=secretary, circle=circle, upload=SimpleUploadedFile(name, content))
    assert message in refused.value.errors["file"]
    assert not Document.objects.exists()


def test_a_file_over_20_mb_is_refused(circle: Any, secretary: Any) -> None:
    upload = SimpleUploadedFile("big.pdf", PDF)
    upload.size = 20 * 1024 * 1024 + 1
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.add_document(by=secretary, circle=circle, upload=upload)
    assert refused.value.errors["file"] == "The file is larger than 20 MB."


def test_a_real_docx_passes(circle: Any, secretary: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    document = services.add_document(
        by=secretary, circle=circle, title="Plan", upload=SimpleUploadedFile("plan.docx", buffer.getvalue())
    )
    assert document.title == "Plan" and document.file.name.endswith(".docx")


def test_a_link_must_be_a_web_address(circle: Any, member: Any) -> None:
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.add_document(by=member, circle=circle, url="javascript:alert(1)")
    assert refused.value.errors["url"] == "Give a full web address starting with https://."
    with pytest.raises(GroupSpaceInvalid):
        services.add_document(by=member, circle=circle)
    # As the message says: an unencrypted http:// link is refused too.
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.add_document(by=member, circle=circle, url="http://pad.example.org/a")
    assert refused.value.errors["url"] == "Give a full web address starting with https://."
    document = services.add_document(by=member, circle=circle, title="Pad", url="https://pad.example.org/a")
    assert document.is_link and document.title == "Pad"


def test_deleting_a_document_removes_its_file_once_committed(
    circle: Any, secretary: Any, settings: Any, tmp_path: Any, on_commit: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    document = services.add_document(by=secretary, circle=circle, upload=SimpleUploadedFile("a.pdf", PDF))
    stored = tmp_path / document.file.name
    assert stored.exists()
    with on_commit():
        services.delete_document(by=secretary, document=document)
    assert not stored.exists() and not Document.objects.exists()


# --- Discussion -----------------------------------------------------------------------


def test_a_thread_starts_with_its_first_message(circle: Any, secretary: Any) -> None:
    thread = services.start_thread(by=secretary, circle=circle, title="Agenda", body="What do we *discuss*?")
    thread.refresh_from_db()
    assert thread.post_count == 1 and thread.posts.get().author == secretary


def test_an_empty_message_or_subject_is_refused(circle: Any, member: Any) -> None:
    with pytest.raises(GroupSpaceInvalid) as refused:
        services.start_thread(by=member, circle=circle, title=" ", body=" ")
    assert refused.value.errors == {"body": "Write a message.", "title": "Give the discussion a subject."}
    assert not Thread.objects.exists()


def test_a_reply_tells_the_others_as_each_chose(
    circle: Any, secretary: Any, member: Any, moderator: Any, pieter: Any, on_commit: Any
) -> None:
    from coopsip.core import notifications

    notifications.set_delivery(user=moderator, topic=services.TOPIC_DISCUSSION, delivery=notifications.EACH)
    notifications.set_delivery(user=pieter, topic=services.TOPIC_DISCUSSION, delivery=notifications.NONE)
    thread = services.start_thread(by=secretary, circle=circle, title="Agenda", body="First")
    mail.outbox.clear()
    with on_commit():
        post = services.reply(by=member, thread=thread, body="I bring the **figures**.")
    # Mona wants each message: one email, in English, with the link.
    assert [m.to for m in mail.outbox] == [["mona@example.org"]]
    assert "Lotte Peeters in “Agenda” (Theme A · Gent)" in mail.outbox[0].subject
    assert f"/discussion/{thread.pk}/" in mail.outbox[0].body
    # Sam (the digest, by default) waits for the digest; Pieter chose none; Lotte wrote it.
    waiting = PendingNotification.objects.filter(key=f"groupspace:post:{post.pk}")
    assert set(waiting.values_list("user__email", flat=True)) == {"sam@example.org"}
    thread.refresh_from_db()
    assert thread.post_count == 2 and Post.objects.filter(thread=thread).count() == 2


def test_a_notification_task_that_runs_twice_sends_nothing_twice(circle: Any, secretary: Any, moderator: Any) -> None:
    from coopsip.core import notifications
    from coopsip.groupspace.tasks import send_post_notifications

    notifications.set_delivery(user=moderator, topic=services.TOPIC_DISCUSSION, delivery=notifications.EACH)
    thread = services.start_thread(by=secretary, circle=circle, title="Agenda", body="First")
    post = thread.posts.get()
    send_post_notifications.call(post.pk)
    send_post_notifications.call(post.pk)
    assert OutgoingEmail.objects.filter(key__startswith=f"notify:groupspace:post:{post.pk}:").count() == 1
    assert PendingNotification.objects.filter(key=f"groupspace:post:{post.pk}").count() == 2  # Lotte, Pieter


def test_each_notification_links_to_the_pages_in_the_recipients_language(
    circle: Any, secretary: Any, moderator: Any, pieter: Any
) -> None:
    from django.utils import translation

    from coopsip.core import notifications
    from coopsip.groupspace.tasks import send_post_notifications

    for person in (moderator, pieter):
        notifications.set_delivery(user=person, topic=services.TOPIC_DISCUSSION, delivery=notifications.EACH)
    thread = services.start_thread(by=secretary, circle=circle, title="Agenda", body="First")
    post = thread.posts.get()
    with translation.override("nl"):  # the worker runs in the site's language
        send_post_notifications.call(post.pk)
    sent = OutgoingEmail.objects.filter(key__startswith=f"notify:groupspace:post:{post.pk}:")
    bodies = dict(sent.values_list("to_email", "body_text"))
    assert f"/en/group-space/{circle.pk}/discussion/{thread.pk}/" in bodies["mona@example.org"]
    assert f"/fr/group-space/{circle.pk}/discussion/{thread.pk}/" in bodies["pieter@example.org"]
