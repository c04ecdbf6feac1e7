"""Sharing, answering, marking useful and moderating contributions: the one place that writes them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsip.contributions.models import (
    Answer,
    AuthorRole,
    Contribution,
    InvitedContributor,
    InvitedRole,
    Kind,
    UsefulMark,
)
from coopsip.core import notifications
from coopsip.core.access import is_staff_member
from coopsip.editions.models import Edition, Resource, Theme
from coopsip.editions.services import safe_file_name, upload_error

MAX_FILE_BYTES = 10 * 1024 * 1024
MODERATION_TOPIC = "contributions.moderation"
THEME_TOPIC = "contributions.theme"


def register_notification_topics() -> None:
    notifications.register_topic(
        MODERATION_TOPIC,
        gettext_lazy("What the team does with your contributions to a theme"),
        default=notifications.EACH,
    )
    notifications.register_topic(THEME_TOPIC, gettext_lazy("New contributions to the theme of your group"))


class ContributionInvalid(Exception):
    """``errors`` maps form field names (or "__all__") to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def edition_is_over(edition: Edition) -> bool:
    return edition.ends_on < timezone.localdate()


def closed_reason(theme: Theme) -> str | None:
    """Why nothing can be shared on ``theme`` any more, or None."""
    if edition_is_over(theme.edition):
        return _("This edition is over: its contributions can be read, not changed.")
    return None


def author_role(user: Any, edition: Edition) -> str:
    if is_staff_member(user):
        return AuthorRole.STAFF
    invitation = InvitedContributor.objects.filter(edition=edition, user=user).first()
    if invitation is not None:
        return AuthorRole.EXPERT if invitation.role == InvitedRole.EXPERT else AuthorRole.PARTNER
    return AuthorRole.PARTICIPANT


def file_error(upload: File[bytes]) -> str | None:
    """Why an attached file is refused: too large, or content that is not what its name says."""
    if (upload.size or 0) > MAX_FILE_BYTES:
        return _("The file is larger than 10 MB.")
    return upload_error(upload)


def share(
    *,
    by: Any,
    theme: Theme,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    upload: File[bytes] | None = None,
    language: str,
) -> Contribution:
    errors: dict[str, str] = {}
    reason = closed_reason(theme)
    if reason:
        raise ContributionInvalid({"__all__": reason})
    if kind not in Kind.values:
        errors["kind"] = _("Say what you share: an experience, a resource or a question.")
    if not title.strip():
        errors["title"] = _("Give a title.")
    if kind == Kind.RESOURCE and not (url or upload):
        errors["url"] = _("A resource is a link or a file: give one.")
    if kind != Kind.RESOURCE and not body.strip():
        errors["body"] = _("Write a few words.")
    if url and upload:
        errors["file"] = _("Give a link or a file, not both.")
    if upload is not None and "file" not in errors:
        problem = file_error(upload)
        if problem:
            errors["file"] = problem
    if errors:
        raise ContributionInvalid(errors)
    contribution = Contribution(
        theme=theme,
        author=by,
        author_role=author_role(by, theme.edition),
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        url=url,
        language=language,
    )
    if upload is not None:
        contribution.file_name = (upload.name or "file")[-200:]
        contribution.file.save(safe_file_name(upload.name or "file"), upload, save=False)
    with transaction.atomic():
        contribution.save()
        transaction.on_commit(lambda: _tell_the_themes_groups(contribution.pk))
    return contribution


def _tell_the_themes_groups(contribution_pk: int) -> None:
    """People in a working group of the theme hear of a new contribution (their digest, by default)."""
    from coopsip.accounts.models import User
    from coopsip.groups.models import SeatState

    contribution = Contribution.objects.select_related("theme").filter(pk=contribution_pk).first()
    if contribution is None or contribution.is_hidden:
        return
    people = (
        User.objects.filter(
            registrations__group_seats__group__theme_id=contribution.theme_id,
            registrations__group_seats__state=SeatState.ACCEPTED,
        )
        .exclude(pk=contribution.author_id)
        .distinct()
    )
    notifications.notify(
        topic=THEME_TOPIC,
        key=f"contributions:new:{contribution.pk}",
        recipients=people,
        render=lambda person: notifications.Message(
            subject=_("New on the theme “%(theme)s”: %(title)s")
            % {"theme": contribution.theme.title, "title": contribution.title},
            url=_detail_url(contribution),
        ),
    )


def answer(*, by: Any, contribution: Contribution, body: str, language: str) -> Answer:
    reason = closed_reason(contribution.theme)
    if reason:
        raise ContributionInvalid({"__all__": reason})
    if contribution.is_hidden:
        raise ContributionInvalid({"__all__": _("This contribution is hidden: it cannot be answered.")})
    if not body.strip():
        raise ContributionInvalid({"body": _("Write a few words.")})
    return Answer.objects.create(
        contribution=contribution,
        author=by,
        author_role=author_role(by, contribution.theme.edition),
        body=body.strip(),
        language=language,
    )


def mark_useful(*, by: Any, contribution: Contribution) -> bool:
    """Mark ``contribution`` useful for ``by``; False when they had already (even at the same instant)."""
    if contribution.author_id == by.pk:
        raise ContributionInvalid({"__all__": _("You cannot mark your own contribution useful.")})
    try:
        with transaction.atomic():
            UsefulMark.objects.create(contribution=contribution, user=by)
    except IntegrityError:
        return False
    return True


def set_highlight(*, by: Any, contribution: Contribution, on: bool) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(highlighted=on)
    contribution.highlighted = on


def _detail_url(contribution: Contribution) -> str:
    """The contribution's address for an email: absolute, in the language active while the recipient's
    message is rendered (``notify`` renders each in the person's language)."""
    return settings.SITE_URL + reverse("contributions:detail", kwargs={"pk": contribution.pk})


def _tell_author(contribution: Contribution, key: str, subject: Any, text: Any = "") -> None:
    notifications.notify(
        topic=MODERATION_TOPIC,
        key=f"contributions:{key}:{contribution.pk}",
        recipients=[contribution.author],
        render=lambda person: notifications.Message(
            subject=str(subject()), text=str(text() if text else ""), url=_detail_url(contribution)
        ),
    )


def hide(*, by: Any, contribution: Contribution, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ContributionInvalid({"reason": _("Say why: the author is told.")})
    with transaction.atomic():
        contribution.hidden_at = timezone.now()
        contribution.hidden_reason = reason[:500]
        contribution.highlighted = False
        contribution.save(update_fields=["hidden_at", "hidden_reason", "highlighted"])
        _tell_author(
            contribution,
            f"hidden:{contribution.hidden_at.timestamp():.0f}",
            lambda: _("Your contribution “%(title)s” is hidden") % {"title": contribution.title},
            lambda: _("The team hid it from the theme's page, for this reason: %(reason)s") % {"reason": reason},
        )


def show_again(*, by: Any, contribution: Contribution) -> None:
    contribution.hidden_at = None
    contribution.hidden_reason = ""
    contribution.save(update_fields=["hidden_at", "hidden_reason"])


def move_to_resources(*, by: Any, contribution: Contribution) -> Resource:
    """Make a resource of the theme from ``contribution`` (its link, a copy of its file, or a link to its page);
    the author is told."""
    if contribution.resource_id is not None:
        raise ContributionInvalid({"__all__": _("This contribution is already among the theme's resources.")})
    if contribution.is_hidden:
        raise ContributionInvalid({"__all__": _("Show this contribution again before moving it.")})
    theme = contribution.theme
    # An experience or a question without a link or a file becomes a link to its own page.
    url = contribution.url
    if not url and not contribution.file:
        url = settings.SITE_URL + reverse("contributions:detail", kwargs={"pk": contribution.pk})
    resource = Resource(
        theme=theme,
        url=url,
        language=contribution.language,
        position=Resource.objects.filter(theme=theme).count() + 1,
    )
    for code in ("nl", "fr", "en"):
        setattr(resource, f"title_{code}", contribution.title)
    with transaction.atomic():
        if contribution.file:
            with contribution.file.open("rb") as source:
                resource.file.save(
                    safe_file_name(contribution.file_name or "file"), ContentFile(source.read()), save=False
                )
        resource.save()
        contribution.resource = resource
        contribution.save(update_fields=["resource"])
        _tell_author(
            contribution,
            "resource",
            lambda: (
                _("Your contribution “%(title)s” is now among the theme's resources") % {"title": contribution.title}
            ),
        )
    return resource


def invite(*, by: Any, edition: Edition, user: Any, role: str) -> InvitedContributor:
    invitation, _created = InvitedContributor.objects.update_or_create(
        edition=edition, user=user, defaults={"role": role, "invited_by": by}
    )
    user.__dict__.pop("_coopsip_invited_editions", None)
    return invitation


def remove_invitation(*, invitation: InvitedContributor) -> None:
    invitation.delete()
