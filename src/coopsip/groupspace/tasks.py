"""Telling the group, through ``core.notifications``: each task loads by id, so running twice sends nothing twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from coopsip.core import notifications
from coopsip.core.taskqueue import task
from coopsip.editions.phases import BRUSSELS
from coopsip.groupspace.models import DatePoll, Post
from coopsip.groupspace.selectors import space_name
from coopsip.groupspace.services import TOPIC_DATES, TOPIC_DISCUSSION

EXCERPT_CHARS = 300


def _members(circle_id: int, *, except_id: int | None) -> list[Any]:
    from coopsip.accounts.models import User

    members = User.objects.filter(circle_memberships__circle_id=circle_id).order_by("pk")
    return list(members if except_id is None else members.exclude(pk=except_id))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


@task(queue_name="email")
def send_post_notifications(post_id: int) -> str:
    """Tell the other members of the group about a new message (each, in the digest, or not, as they chose)."""
    post = Post.objects.select_related("thread", "thread__circle", "author").filter(pk=post_id).first()
    if post is None:
        return "gone"
    thread = post.thread
    circle_id = thread.circle_id
    author = post.author.get_full_name() if post.author else ""

    def render(person: Any) -> notifications.Message:
        # Rendered in the person's language: the link carries their language prefix.
        url = settings.SITE_URL + reverse("groupspace:thread", kwargs={"circle_pk": circle_id, "pk": thread.pk})
        return notifications.Message(
            subject=_("%(author)s in “%(thread)s” (%(group)s)")
            % {"author": author or _("Someone"), "thread": thread.title, "group": space_name(thread.circle)},
            text=_excerpt(post.body),
            url=url,
        )

    notified = notifications.notify(
        topic=TOPIC_DISCUSSION,
        key=f"groupspace:post:{post.pk}",
        recipients=_members(circle_id, except_id=post.author_id),
        render=render,
    )
    return f"{notified.sent} sent, {notified.queued_for_digest} for the digest"


@task(queue_name="email")
def send_date_notifications(poll_id: int, what: str) -> str:
    """Tell the group that dates are proposed (``what`` = "proposed") or that one was chosen ("chosen")."""
    poll = DatePoll.objects.select_related("circle", "chosen", "created_by").filter(pk=poll_id).first()
    if poll is None:
        return "gone"

    def render(person: Any) -> notifications.Message:
        url = settings.SITE_URL + reverse("groupspace:poll", kwargs={"circle_pk": poll.circle_id, "pk": poll.pk})
        if what == "chosen" and poll.chosen is not None:
            when = formats.date_format(poll.chosen.starts_at.astimezone(BRUSSELS), "DATETIME_FORMAT")
            return notifications.Message(
                subject=_("%(group)s meets on %(when)s") % {"group": space_name(poll.circle), "when": when},
                text=_("“%(title)s”: your seat is booked and the meeting is in your calendar link.")
                % {"title": poll.title},
                url=url,
            )
        return notifications.Message(
            subject=_("%(group)s: when can you come to “%(title)s”?")
            % {"group": space_name(poll.circle), "title": poll.title},
            text=_("Answer yes, if need be or no for each proposed date."),
            url=url,
        )

    notified = notifications.notify(
        topic=TOPIC_DATES,
        key=f"groupspace:poll:{poll.pk}:{what}",
        recipients=_members(poll.circle_id, except_id=poll.created_by_id if what == "proposed" else None),
        render=render,
    )
    return f"{notified.sent} sent, {notified.queued_for_digest} for the digest"
