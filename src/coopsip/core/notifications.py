"""Telling people by email that something happened: each time, in a daily digest, or not at all.

This is coopsip's one notification mechanism (group discussions today;
networking matches, saved searches and decisions next). Its rows live in the
small ``coopsip.notifications`` app (preferences, the digest queue, the
preference page); this module is the API, and apps only use this module.

**Topics.** An app names what it notifies about, once, in its
``AppConfig.ready()``::

    from coopsip.core import notifications

    notifications.register_topic(
        "groupspace.discussion", _("Messages in the discussions of your groups"), default=notifications.DIGEST
    )

Each person chooses per topic: ``EACH`` (an email per message), ``DIGEST``
(at most one email a day listing what happened; the default, because
people complain of too many emails) or ``NONE``. The preference page
(``notifications:preferences``) lists every registered topic.

**Notifying.** Inside the service's transaction, or better in a task that
loads the new row by id (enqueued on commit), call::

    notifications.notify(
        topic="groupspace.discussion",
        key=f"groupspace:post:{post.pk}",        # unique per message: calling again sends nothing more
        recipients=people,                        # users; those without an email or inactive are skipped
        render=lambda person: notifications.Message(subject=..., text=..., url=...),
    )

``render`` is called once per recipient with the recipient's language
active (``translation.override(person.preferred_language)``), so
``gettext`` and date formats come out in their language. For ``EACH`` the
email is queued through ``core.mail.queue_email`` with the key
``notify:<key>:<person id>`` (never twice); for ``DIGEST`` a line is stored
(unique per person and key, so never listed twice); for ``NONE`` nothing
happens. It returns a ``Notified`` count of each.

**Digests.** ``send_digests(now=...)`` (the task ``send_notification_digests``
and the command ``manage.py send_notification_digests``, run daily from cron)
sends each person with waiting lines one email, in their language, keyed
``notify:digest:<person id>:<Brussels date>``. Running it twice on one day
sends nothing more: lines that arrive after the day's digest wait for the
next day's. A person who switches a topic to ``NONE`` drops its waiting lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.functional import Promise

from coopsip.core.mail import queue_email
from coopsip.core.taskqueue import task

EACH = "each"
DIGEST = "digest"
NONE = "none"
DELIVERIES = (EACH, DIGEST, NONE)
# Lines already sent in a digest are kept this long (the person's data download shows them), then removed.
KEEP_SENT_DAYS = 30


@dataclass(frozen=True)
class Topic:
    name: str
    label: str | Promise
    default: str = DIGEST


@dataclass(frozen=True)
class Message:
    """What one person is told, already in their language: a subject, a short text, a link to the page."""

    subject: str
    text: str = ""
    url: str = ""


@dataclass(frozen=True)
class Notified:
    sent: int = 0
    queued_for_digest: int = 0
    skipped: int = 0


_topics: dict[str, Topic] = {}


def register_topic(name: str, label: str | Promise, *, default: str = DIGEST) -> None:
    """Make ``name`` a topic people can set a preference for (registering again replaces it)."""
    if default not in DELIVERIES:
        raise ValueError(f"unknown delivery {default!r}")
    _topics[name] = Topic(name=name, label=label, default=default)


def topics() -> list[Topic]:
    return sorted(_topics.values(), key=lambda topic: topic.name)


def _topic(name: str) -> Topic:
    try:
        return _topics[name]
    except KeyError:
        raise ValueError(f"unknown notification topic {name!r}: register it first") from None


def deliveries_for(*, users: Iterable[Any], topic: str) -> dict[int, str]:
    """Each person's choice for ``topic`` (the topic's default when they made none), in one query."""
    from coopsip.notifications.models import NotificationPreference

    ids = [user.pk for user in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, topic=topic).values_list("user_id", "delivery")
    )
    default = _topic(topic).default
    return {user_id: chosen.get(user_id, default) for user_id in ids}


def preferences_of(*, user: Any) -> dict[str, str]:
    """The person's choice for every registered topic, in one query."""
    from coopsip.notifications.models import NotificationPreference

    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("topic", "delivery"))
    return {topic.name: chosen.get(topic.name, topic.default) for topic in topics()}


def set_delivery(*, user: Any, topic: str, delivery: str) -> None:
    """Record the person's choice; choosing ``NONE`` drops what waited for their digest on this topic."""
    from coopsip.notifications.models import NotificationPreference, PendingNotification

    _topic(topic)
    if delivery not in DELIVERIES:
        raise ValueError(f"unknown delivery {delivery!r}")
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(user=user, topic=topic, defaults={"delivery": delivery})
        if delivery == NONE:
            PendingNotification.objects.filter(user=user, topic=topic, digest_key="").delete()


def preferences_url() -> str:
    return settings.SITE_URL + reverse("notifications:preferences")


def notify(
    *,
    topic: str,
    key: str,
    recipients: Iterable[Any],
    render: Callable[[Any], Message],
) -> Notified:
    """Tell each of ``recipients`` about one thing, the way each chose for ``topic`` (see the module's docstring)."""
    from coopsip.notifications.models import PendingNotification

    people = [person for person in recipients if person.is_active and person.email]
    choices = deliveries_for(users=people, topic=topic)
    sent = queued = skipped = 0
    with transaction.atomic():
        for person in people:
            delivery = choices[person.pk]
            if delivery == NONE:
                skipped += 1
                continue
            with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                message = render(person)
                if delivery == EACH:
                    body = render_to_string(
                        "notifications/email/each.txt",
                        {"message": message, "person": person, "preferences_url": preferences_url()},
                    )
            if delivery == EACH:
                queue_email(
                    key=f"notify:{key}:{person.pk}", to_email=person.email, subject=message.subject, body_text=body,
                    user=person,
                )  # fmt: skip
                sent += 1
            else:
                PendingNotification.objects.get_or_create(
                    user=person,
                    key=key,
                    defaults={
                        "topic": topic,
                        "subject": message.subject[:300],
                        "text": message.text,
                        "url": message.url,
                    },
                )
                queued += 1
    return Notified(sent=sent, queued_for_digest=queued, skipped=skipped)


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person (for ``notify_each``)."""

    key: str
    recipient: Any
    render: Callable[[Any], Message]


def notify_each(*, topic: str, notices: Iterable[Notice]) -> Notified:
    """``notify`` for many (key, person) pairs at once, as a scheduled digest of saved searches needs.

    The same outcome as calling ``notify(topic=..., key=notice.key, recipients=[notice.recipient], ...)`` for
    each notice, in a fixed number of queries for the lines that wait for a digest (the choices, the lines
    already there, one insert); a person who wants an email for each message goes through ``notify``.
    """
    from coopsip.notifications.models import PendingNotification

    wanted = [notice for notice in notices if notice.recipient.is_active and notice.recipient.email]
    choices = deliveries_for(users=[notice.recipient for notice in wanted], topic=topic)
    there = set(
        PendingNotification.objects.filter(
            user_id__in={notice.recipient.pk for notice in wanted}, key__in={notice.key for notice in wanted}
        ).values_list("user_id", "key")
    )
    sent = queued = skipped = 0
    rows = []
    with transaction.atomic():
        for notice in wanted:
            person = notice.recipient
            delivery = choices[person.pk]
            if delivery == NONE:
                skipped += 1
            elif delivery == EACH:
                sent += notify(topic=topic, key=notice.key, recipients=[person], render=notice.render).sent
            else:
                queued += 1
                if (person.pk, notice.key) in there:
                    continue
                there.add((person.pk, notice.key))
                with translation.override(person.preferred_language or settings.LANGUAGE_CODE):
                    message = notice.render(person)
                rows.append(
                    PendingNotification(
                        user=person,
                        key=notice.key,
                        topic=topic,
                        subject=message.subject[:300],
                        text=message.text,
                        url=message.url,
                    )
                )
        PendingNotification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notified(sent=sent, queued_for_digest=queued, skipped=skipped)


def digest_key(*, user_id: int, now: datetime) -> str:
    from coopsip.editions.phases import BRUSSELS

    return f"notify:digest:{user_id}:{now.astimezone(BRUSSELS):%Y-%m-%d}"


def send_digests(*, now: datetime) -> int:
    """Send every person with waiting lines their one digest of the (Brussels) day; returns how many were queued.

    Idempotent: a second run on the same day finds the day's email and sends
    nothing; lines that came in meanwhile wait for tomorrow.
    """
    from coopsip.accounts.models import User
    from coopsip.core.models import OutgoingEmail
    from coopsip.notifications.models import PendingNotification

    waiting = PendingNotification.objects.filter(digest_key="")
    user_ids = sorted(set(waiting.values_list("user_id", flat=True)))
    already = set(
        OutgoingEmail.objects.filter(key__in=[digest_key(user_id=uid, now=now) for uid in user_ids]).values_list(
            "key", flat=True
        )
    )
    labels = {topic.name: topic for topic in topics()}
    count = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").order_by("pk"):
        key = digest_key(user_id=user.pk, now=now)
        if key in already:
            continue
        with transaction.atomic():
            lines = list(PendingNotification.objects.select_for_update().filter(user=user, digest_key=""))
            if not lines or OutgoingEmail.objects.filter(key=key).exists():
                continue  # another run took them first
            PendingNotification.objects.filter(pk__in=[line.pk for line in lines]).update(digest_key=key)
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                groups = [
                    (labels[name].label if name in labels else name, [line for line in lines if line.topic == name])
                    for name in dict.fromkeys(line.topic for line in lines)
                ]
                context = {
                    "person": user,
                    "groups": groups,
                    "count": len(lines),
                    "day": formats.date_format(now, "DATE_FORMAT"),
                    "preferences_url": preferences_url(),
                }
                subject = render_to_string("notifications/email/digest_subject.txt", context).strip()
                body = render_to_string("notifications/email/digest.txt", context)
            queue_email(key=key, to_email=user.email, subject=subject, body_text=body, user=user)
            count += 1
    PendingNotification.objects.exclude(digest_key="").filter(
        created_at__lt=now - timedelta(days=KEEP_SENT_DAYS)
    ).delete()
    return count


@task(queue_name="default")
def send_notification_digests() -> int:
    """The daily digests (run once a day from cron or the scheduler; a second run the same day sends nothing)."""
    from django.utils import timezone

    return send_digests(now=timezone.now())
