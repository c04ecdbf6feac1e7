"""Every change in a group's space: date polls, documents, discussion.

Who may call what is checked by the views (``core.access``); the services
check what holds whoever calls them: a poll has options to come, only the
group's members answer, nobody answers a closed poll, an upload passes the
editions' checks. Each refusal says why (``GroupSpaceInvalid.errors``, by
form field). Meetings are events of the circle, created through
``events.services.create_event`` (which seats every member). People are told
through ``core.notifications`` by tasks enqueued on commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsip.core import notifications
from coopsip.core.audit import record_change
from coopsip.editions.phases import BRUSSELS
from coopsip.editions.services import safe_file_name, upload_error
from coopsip.events import services as events_services
from coopsip.events.models import Attendance, Audience, Circle, CircleMember, Event, EventFormat, EventKind, Place
from coopsip.groupspace.models import Availability, DateAnswer, DateOption, DatePoll, Document, Post, Thread

MAX_OPTIONS = 20
MAX_MEETING_HOURS = 12
MAX_POST_CHARS = 20_000
TOPIC_DISCUSSION = "groupspace.discussion"
TOPIC_DATES = "groupspace.dates"
LANGUAGES = ("nl", "fr", "en")


class GroupSpaceInvalid(Exception):
    """Nothing changed; ``errors`` maps form field names ("__all__" for the whole form) to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def register_notification_topics() -> None:
    notifications.register_topic(TOPIC_DISCUSSION, gettext_lazy("Messages in the discussions of your groups"))
    notifications.register_topic(TOPIC_DATES, gettext_lazy("Date polls of your groups and the dates chosen"))


def _is_member(circle_id: int, user: Any) -> bool:
    return bool(user.is_authenticated) and CircleMember.objects.filter(circle_id=circle_id, user=user).exists()


def _local(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(BRUSSELS), "DATETIME_FORMAT")


# ---------------------------------------------------------------------------
# Finding a date


def create_poll(
    *,
    by: Any,
    circle: Circle,
    title: str,
    options: Sequence[tuple[datetime, datetime]],
    now: datetime | None = None,
    notify: bool = True,
) -> DatePoll:
    """Propose dates and times (start, end) to the group; every member is told. Raises GroupSpaceInvalid.

    At least one option, at most MAX_OPTIONS, all to come, each ending after
    it starts (within MAX_MEETING_HOURS), no two starting at the same time.
    ``notify=False`` tells nobody (demo data).
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Say what the meeting is for, for example “Second meeting: ideas”.")
    if not options:
        errors["options"] = _("Propose at least one date and time.")
    elif len(options) > MAX_OPTIONS:
        errors["options"] = _("Propose at most %(count)d dates.") % {"count": MAX_OPTIONS}
    else:
        starts = [start for start, _end in options]
        for start, end in options:
            if timezone.is_naive(start) or timezone.is_naive(end):
                errors["options"] = _("Give a date and a time for each option.")
            elif start <= now:
                errors["options"] = _("%(date)s is in the past: propose dates to come.") % {"date": _local(start)}
            elif end <= start:
                errors["options"] = _("The option of %(date)s must end after it starts.") % {"date": _local(start)}
            elif end - start > timedelta(hours=MAX_MEETING_HOURS):
                errors["options"] = _("The option of %(date)s lasts more than %(hours)d hours.") % {
                    "date": _local(start),
                    "hours": MAX_MEETING_HOURS,
                }
            if "options" in errors:
                break
        if "options" not in errors and len(set(starts)) != len(starts):
            errors["options"] = _("Two options start at the same time: propose each date once.")
    if errors:
        raise GroupSpaceInvalid(errors)
    with transaction.atomic():
        poll = DatePoll.objects.create(circle=circle, title=title.strip(), created_by=by)
        DateOption.objects.bulk_create(
            [DateOption(poll=poll, starts_at=start, ends_at=end) for start, end in sorted(options)]
        )
        record_change(actor=by, obj=poll, action="created", changes={"options": len(options)})
        if notify:
            _notify_on_commit(poll_id=poll.pk, what="proposed")
    return poll


def answer_poll(*, by: Any, poll: DatePoll, answers: Mapping[int, str]) -> int:
    """Record the person's yes / if need be / no for options of ``poll`` (option id → answer); returns how many.

    Answering again changes the answers. Refused (GroupSpaceInvalid) for
    someone outside the group, on a closed poll, for options of another poll.
    """
    with transaction.atomic():
        locked = DatePoll.objects.select_for_update().get(pk=poll.pk)
        if not _is_member(locked.circle_id, by):
            raise GroupSpaceInvalid({"__all__": _("Only the members of this group answer its date polls.")})
        if not locked.is_open:
            raise GroupSpaceInvalid({"__all__": _("This poll is closed: a date was chosen, answers no longer change.")})
        valid = set(locked.options.values_list("pk", flat=True))
        if not answers:
            raise GroupSpaceInvalid({"__all__": _("Answer at least one of the dates.")})
        if set(answers) - valid:
            raise GroupSpaceInvalid({"__all__": _("Some dates are not part of this poll; reload the page.")})
        if any(answer not in Availability.values for answer in answers.values()):
            raise GroupSpaceInvalid({"__all__": _("Answer yes, if need be or no.")})
        for option_id, answer in answers.items():
            DateAnswer.objects.update_or_create(option_id=option_id, user=by, defaults={"answer": answer})
    return len(answers)


def choose_date(
    *,
    by: Any,
    poll: DatePoll,
    option_id: int,
    attendance: str = Attendance.IN_PERSON,
    place: Place | None = None,
    address: str = "",
    video_url: str = "",
    now: datetime | None = None,
) -> Event:
    """Close the poll on one option: the meeting becomes an event of the group, every member holds a seat.

    Raises GroupSpaceInvalid: a poll already decided, an option of another
    poll or in the past, or the meeting's place or link (the events rules).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = DatePoll.objects.select_for_update().select_related("circle").get(pk=poll.pk)
        if not locked.is_open:
            raise GroupSpaceInvalid({"__all__": _("A date was already chosen for this poll.")})
        option = locked.options.filter(pk=option_id).first()
        if option is None:
            raise GroupSpaceInvalid({"option": _("Choose one of the dates of this poll.")})
        if option.starts_at <= now:
            raise GroupSpaceInvalid({"option": _("This date is past: choose a date to come, or propose new ones.")})
        data = events_services.EventInput(
            titles=dict.fromkeys(LANGUAGES, locked.title),
            kind=EventKind.GROUP_MEETING,
            format=EventFormat.MEETING,
            starts_at=option.starts_at,
            ends_at=option.ends_at,
            attendance=attendance,
            place=place,
            address=address,
            video_url=video_url,
            audience=Audience.CIRCLE,
            circle=locked.circle,
        )
        try:
            event = events_services.create_event(by=by, data=data)
        except events_services.EventInvalid as invalid:
            raise GroupSpaceInvalid(invalid.errors) from invalid
        locked.closed_at = now
        locked.chosen = option
        locked.event = event
        locked.save(update_fields=["closed_at", "chosen", "event"])
        record_change(actor=by, obj=locked, action="date_chosen", changes={"event": event.pk})
        _notify_on_commit(poll_id=locked.pk, what="chosen")
    return event


def _notify_on_commit(*, poll_id: int, what: str) -> None:
    from coopsip.groupspace.tasks import send_date_notifications

    transaction.on_commit(lambda: send_date_notifications.enqueue(poll_id, what), robust=True)


# ---------------------------------------------------------------------------
# Documents


def _is_web_link(url: str) -> bool:
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        return False
    return True


def add_document(
    *, by: Any, circle: Circle, title: str = "", upload: UploadedFile | None = None, url: str = ""
) -> Document:
    """A file (checked like the editions' resources, stored under a generated name) or a link.

    Raises GroupSpaceInvalid (fields "file", "url", "title").
    """
    url = url.strip()
    if upload is None and not url:
        raise GroupSpaceInvalid({"file": _("Choose a file or give a link.")})
    if upload is not None and url:
        raise GroupSpaceInvalid({"url": _("Add a file or a link, not both at once.")})
    if upload is not None:
        error = upload_error(upload)
        if error:
            raise GroupSpaceInvalid({"file": error})
    elif not _is_web_link(url):
        raise GroupSpaceInvalid({"url": _("Give a full web address starting with https://.")})
    original = PurePosixPath((upload.name or "file").replace("\\", "/")).name[:200] if upload is not None else ""
    title = title.strip() or original or url[:200]
    with transaction.atomic():
        document = Document(circle=circle, title=title[:200], url=url, added_by=by, file_name=original)
        if upload is not None:
            document.file.save(safe_file_name(original), upload, save=False)
        document.save()
        record_change(actor=by, obj=document, action="created", changes={"title": document.title})
    return document


def delete_document(*, by: Any, document: Document) -> None:
    """Remove a document; its file leaves the storage once the deletion is committed."""
    with transaction.atomic():
        stored, storage = document.file.name, document.file.storage
        record_change(actor=by, obj=document.circle, action="document_deleted", changes={"title": document.title})
        document.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# ---------------------------------------------------------------------------
# Discussion


def _body_errors(body: str) -> dict[str, str]:
    if not body.strip():
        return {"body": _("Write a message.")}
    if len(body) > MAX_POST_CHARS:
        return {"body": _("A message has at most %(count)d characters.") % {"count": MAX_POST_CHARS}}
    return {}


def start_thread(*, by: Any, circle: Circle, title: str, body: str, notify: bool = True) -> Thread:
    """A new subject with its first message; the group is told (each as they chose). Raises GroupSpaceInvalid.

    ``notify=False`` tells nobody (demo data).
    """
    errors = _body_errors(body)
    if not title.strip():
        errors["title"] = _("Give the discussion a subject.")
    if errors:
        raise GroupSpaceInvalid(errors)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(circle=circle, title=title.strip()[:200], started_by=by, last_post_at=now)
        _add_post(by=by, thread=thread, body=body, now=now, notify=notify)
    return thread


def reply(*, by: Any, thread: Thread, body: str, notify: bool = True) -> Post:
    """Add a message to a thread; the group is told (not with ``notify=False``). Raises GroupSpaceInvalid."""
    errors = _body_errors(body)
    if errors:
        raise GroupSpaceInvalid(errors)
    with transaction.atomic():
        return _add_post(by=by, thread=thread, body=body, now=timezone.now(), notify=notify)


def _add_post(*, by: Any, thread: Thread, body: str, now: datetime, notify: bool) -> Post:
    from coopsip.groupspace.tasks import send_post_notifications

    post = Post.objects.create(thread=thread, author=by, body=body.strip())
    Thread.objects.filter(pk=thread.pk).update(last_post_at=now, post_count=F("post_count") + 1)
    post_id = post.pk
    if notify:
        transaction.on_commit(lambda: send_post_notifications.enqueue(post_id), robust=True)
    return post
