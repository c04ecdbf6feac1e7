"""Every change to a recommendation on the group's side: ideas, drafts and their versions, consent, submission.

Who may call what is checked by the views (``core.access``); the services check
what holds whoever calls them: only the group's members add ideas and answer a
consent round, a draft is only changed from the version it was read at, nobody
answers a closed round, and the status moves only along ``TRANSITIONS``. Each
refusal says why (``RecommendationInvalid.errors``, by form field, "__all__" for
the whole form) and nothing is written.

The status is a small state machine. ``_move`` is the only place that writes
``Recommendation.status``; the staff and board services (synthesis, decision) call it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.groups.models import Seat, SeatState, WorkingGroup
from coopsip.groupspace import services as groupspace_services
from coopsip.recommendations.models import (
    SHORT_TEXT_MAX,
    STRUCTURED_FIELDS,
    TEXT_MAX,
    TITLE_MAX,
    VERSIONED_FIELDS,
    BoardDecision,
    ConsentAnswer,
    ConsentResult,
    ConsentRound,
    Idea,
    Position,
    Recommendation,
    RecommendationVersion,
)
from coopsip.recommendations.models import RecommendationStatus as S
from coopsip.recommendations.search import index_recommendations

LANGUAGES = ("nl", "fr", "en")
MAX_CONSENT_DAYS = 60
MIN_CONSENT_HOURS = 1

# The allowed moves of a recommendation's status; every other one is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.CONSENT}),
    # A round ends with the group's consent, or without it (back to the draft).
    S.CONSENT: frozenset({S.ADOPTED, S.DRAFT}),
    # Adopted: submitted to the team, or taken up again for changes (a new round is then needed).
    S.ADOPTED: frozenset({S.SUBMITTED, S.DRAFT}),
    # Submitted: the group may withdraw it until the team takes it into a synthesis,
    # or the board may decide on it as it is.
    S.SUBMITTED: frozenset({S.WITHDRAWN, S.IN_SYNTHESIS, S.DECIDED}),
    S.WITHDRAWN: frozenset({S.DRAFT}),
    S.IN_SYNTHESIS: frozenset({S.SUBMITTED, S.SYNTHESISED}),
    S.SYNTHESISED: frozenset({S.DECIDED}),
    S.DECIDED: frozenset(),
}


class RecommendationInvalid(Exception):
    """Nothing changed; ``errors`` maps form field names ("__all__" for the whole form) to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


class StaleDraft(RecommendationInvalid):
    """The draft was saved by someone else since the version the person's text is based on."""

    def __init__(self, *, based_on: int, current: RecommendationVersion) -> None:
        super().__init__(
            {
                "__all__": _(
                    "Your text is based on version %(based_on)d, but %(author)s saved version %(current)d since. "
                    "Nothing was overwritten: compare, then save your text again."
                )
                % {
                    "based_on": based_on,
                    "current": current.number,
                    "author": _person(current.author),
                }
            }
        )
        self.based_on = based_on
        self.current = current


def _person(user: Any) -> str:
    if user is None:
        return str(_("a former member"))
    return str(user.get_full_name() or _("a former member"))


def _move(recommendation: Recommendation, to: str, *, by: Any, now: datetime | None = None) -> None:
    """Move ``recommendation`` to status ``to`` if TRANSITIONS allows it, else raise RecommendationInvalid.

    The caller holds the row lock and saves the other fields it changes; this saves the status
    (and the time of submission or withdrawal) and records the change in the history.
    """
    before = recommendation.status
    if to not in TRANSITIONS.get(before, frozenset()):
        raise RecommendationInvalid(
            {
                "__all__": _("A recommendation cannot go from “%(before)s” to “%(after)s”.")
                % {"before": S(before).label, "after": S(to).label if to in S.values else to}
            }
        )
    now = now or timezone.now()
    recommendation.status = to
    fields = ["status", "updated_at"]
    if to == S.SUBMITTED:
        recommendation.submitted_at, recommendation.submitted_by = now, by
        fields += ["submitted_at", "submitted_by"]
    if to == S.WITHDRAWN:
        recommendation.withdrawn_at = now
        fields.append("withdrawn_at")
    recommendation.save(update_fields=fields)
    record_change(actor=by, obj=recommendation, action="status", changes={"status": [before, to]})


def _locked(recommendation: Recommendation) -> Recommendation:
    locked: Recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    return locked


def is_group_member(group: WorkingGroup, user: Any) -> bool:
    """The person accepted a seat in the group (and has not left it)."""
    return bool(user is not None and user.is_authenticated) and (
        Seat.objects.filter(group=group, registration__user=user, state=SeatState.ACCEPTED).exists()
    )


def _text_errors(fields: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, value in fields.items():
        limit = TITLE_MAX if name == "title" else TEXT_MAX
        if len(value) > limit:
            errors[name] = _("At most %(limit)d characters (this text has %(length)d).") % {
                "limit": limit,
                "length": len(value),
            }
    return errors


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _language(language: str) -> str:
    return language if language in LANGUAGES else "nl"


# ---------------------------------------------------------------------------
# Ideas


def add_idea(
    *,
    by: Any,
    group: WorkingGroup,
    title: str,
    text: str,
    challenge: str = "",
    language: str,
    notify: bool = True,
) -> Idea:
    """A member adds an idea; the group discusses it in a new thread of its discussion. Raises RecommendationInvalid."""
    title, text, challenge = " ".join(title.split()), _lines(text).strip(), " ".join(challenge.split())
    errors = _text_errors({"title": title, "text": text})
    if not title:
        errors["title"] = _("Give the idea a title.")
    if len(challenge) > 300:
        errors["challenge"] = _("At most %(limit)d characters (this text has %(length)d).") % {
            "limit": 300,
            "length": len(challenge),
        }
    if group.circle_id is None:
        errors["__all__"] = _("The group is not active yet: ideas come once it meets.")
    elif not is_group_member(group, by):
        errors["__all__"] = _("Only the group's members add ideas.")
    if errors:
        raise RecommendationInvalid(errors)
    assert group.circle is not None
    with transaction.atomic():
        body = _("Idea: **%(title)s**") % {"title": title}
        if challenge:
            body += "\n\n" + _("Challenge of the theme: %(challenge)s") % {"challenge": challenge}
        if text:
            body += "\n\n" + text
        try:
            thread = groupspace_services.start_thread(
                by=by, circle=group.circle, title=_("Idea: %(title)s") % {"title": title}, body=body, notify=notify
            )
        except groupspace_services.GroupSpaceInvalid as invalid:
            raise RecommendationInvalid({"text": next(iter(invalid.errors.values()))}) from invalid
        idea = Idea.objects.create(
            group=group,
            author=by,
            title=title,
            text=text,
            challenge=challenge,
            language=_language(language),
            thread=thread,
        )
    return idea


# ---------------------------------------------------------------------------
# Drafts and versions


def _snapshot(recommendation: Recommendation, *, by: Any, note: str) -> RecommendationVersion:
    values = {name: getattr(recommendation, name) for name in VERSIONED_FIELDS}
    return RecommendationVersion.objects.create(
        recommendation=recommendation, number=recommendation.version, author=by, note=note[:300], **values
    )


def create_draft(
    *,
    by: Any,
    group: WorkingGroup,
    title: str,
    language: str,
    ideas: Iterable[Idea] = (),
) -> Recommendation:
    """The secretary (or moderator) turns ideas into a draft: version 1, the ideas' texts as its proposal.

    Ideas already in another draft stay there. Raises RecommendationInvalid.
    """
    title = " ".join(title.split())
    errors = _text_errors({"title": title})
    if not title:
        errors["title"] = _("Give the recommendation a title.")
    # Read again: an idea another draft took in the meantime stays there.
    chosen = list(
        Idea.objects.filter(pk__in=[idea.pk for idea in ideas], group=group, recommendation__isnull=True).order_by(
            "created_at", "pk"
        )
    )
    proposal = "\n\n".join(f"**{idea.title}**\n\n{idea.text}".strip() for idea in chosen)
    if len(proposal) > TEXT_MAX:
        errors["__all__"] = _("The chosen ideas are too long together: choose fewer.")
    if errors:
        raise RecommendationInvalid(errors)
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            edition_id=group.edition_id,
            theme_id=group.theme_id,
            group=group,
            title=title,
            language=_language(language),
            proposal=proposal,
            version=1,
            created_by=by,
        )
        _snapshot(recommendation, by=by, note=_("First draft"))
        index_recommendations(Recommendation.objects.filter(pk=recommendation.pk))
        Idea.objects.filter(pk__in=[idea.pk for idea in chosen], recommendation__isnull=True).update(
            recommendation=recommendation
        )
        record_change(actor=by, obj=recommendation, action="created", changes={"title": ["", title]})
    return recommendation


def save_draft(
    *,
    by: Any,
    recommendation: Recommendation,
    based_on: int,
    fields: Mapping[str, str],
    note: str = "",
) -> RecommendationVersion | None:
    """Save the group's text as a new version, if it is based on the latest one.

    ``based_on`` is the version number the person's form was read at. When someone saved
    another version since, StaleDraft is raised (its ``current`` is that version) and nothing
    is written. Returns the new version, or None when nothing changed. Raises RecommendationInvalid.
    """
    # Browsers send a textarea's line breaks as CRLF: stored as LF, so that an unchanged text stays unchanged.
    values = {name: _lines(str(fields.get(name, ""))).strip() for name in VERSIONED_FIELDS}
    values["title"] = " ".join(values["title"].split())
    errors = _text_errors(values)
    if not values["title"]:
        errors["title"] = _("Give the recommendation a title.")
    if len(note) > 300:
        errors["note"] = _("At most %(limit)d characters (this text has %(length)d).") % {
            "limit": 300,
            "length": len(note),
        }
    if errors:
        raise RecommendationInvalid(errors)
    with transaction.atomic():
        current = _locked(recommendation)
        if current.version != based_on:
            latest = current.versions.select_related("author").get(number=current.version)
            raise StaleDraft(based_on=based_on, current=latest)
        if not current.is_editable:
            raise RecommendationInvalid(
                {
                    "__all__": _("The recommendation is “%(status)s”: its text can no longer be changed.")
                    % {"status": current.get_status_display()}
                }
            )
        if all(getattr(current, name) == value for name, value in values.items()):
            return None
        for name, value in values.items():
            setattr(current, name, value)
        current.version += 1
        current.save(update_fields=[*VERSIONED_FIELDS, "version", "updated_at"])
        version = _snapshot(current, by=by, note=note.strip())
        index_recommendations(Recommendation.objects.filter(pk=current.pk))
        record_change(actor=by, obj=current, action="version", changes={"version": [based_on, current.version]})
    recommendation.refresh_from_db()
    return version


def set_contributions(*, by: Any, recommendation: Recommendation, document_ids: Iterable[int]) -> int:
    """Attach the experts' contributions (documents of the group's space) that informed the draft.

    Only documents of the group's own space count; the others are ignored. Replaces the previous
    choice and records it in the history. Returns how many are attached.
    """
    from coopsip.groupspace.models import Document

    group = recommendation.group
    circle_id = group.circle_id if group is not None else None
    with transaction.atomic():
        current = _locked(recommendation)
        documents = Document.objects.none() if circle_id is None else Document.objects.filter(circle_id=circle_id)
        chosen = list(documents.filter(pk__in=list(document_ids)).values_list("pk", flat=True))
        before = sorted(current.contributions.values_list("pk", flat=True))
        current.contributions.set(chosen)
        record_change(
            actor=by, obj=current, action="contributions", changes={"contributions": [before, sorted(chosen)]}
        )
    return len(chosen)


# ---------------------------------------------------------------------------
# Consent


def open_consent_round(
    *,
    by: Any,
    recommendation: Recommendation,
    closes_at: datetime,
    now: datetime | None = None,
    notify: bool = True,
) -> ConsentRound:
    """Ask the group's consent on the latest version until ``closes_at``; the text is frozen meanwhile.
    Every member of the group is told by email on commit (``tasks.send_consent_opened``), unless ``notify``
    is False (the demo's made-up people).

    Raises RecommendationInvalid (closing time not in the future or too far, wrong status).
    """
    now = now or timezone.now()
    if closes_at < now + timedelta(hours=MIN_CONSENT_HOURS):
        raise RecommendationInvalid({"closes_at": _("The round must stay open at least an hour.")})
    if closes_at > now + timedelta(days=MAX_CONSENT_DAYS):
        raise RecommendationInvalid(
            {"closes_at": _("A round stays open at most %(days)d days.") % {"days": MAX_CONSENT_DAYS}}
        )
    with transaction.atomic():
        current = _locked(recommendation)
        _move(current, S.CONSENT, by=by, now=now)
        version = current.versions.get(number=current.version)
        consent_round = ConsentRound.objects.create(
            recommendation=current, version=version, opened_by=by, opened_at=now, closes_at=closes_at
        )
        if notify:
            _tell_group_on_commit(consent_round.pk)
    recommendation.refresh_from_db()
    return consent_round


def _tell_group_on_commit(round_id: int) -> None:
    """Every member of the group is emailed that the round waits for them, once the round is saved."""
    from coopsip.recommendations.tasks import send_consent_opened

    transaction.on_commit(lambda: send_consent_opened.enqueue(round_id), robust=True)


def answer_consent(
    *,
    by: Any,
    consent_round: ConsentRound,
    position: str,
    reason: str = "",
    language: str,
    now: datetime | None = None,
) -> ConsentAnswer:
    """Record (or replace) the person's answer in an open round. Raises RecommendationInvalid.

    Refused after the closing time, for a closed round and for anyone who is not a member of the group.
    A block and a disagreement say why, an abstention may; an agreement keeps no reason (one typed for
    another answer before the person chose "agree" would read as a reason to agree).
    """
    now = now or timezone.now()
    reason = "" if position == Position.AGREE else reason.strip()
    errors: dict[str, str] = {}
    if position not in Position.values:
        errors["position"] = _("Choose agree, abstain, disagree or block.")
    elif position in (Position.BLOCK, Position.DISAGREE) and not reason:
        errors["reason"] = _("Say why you disagree or block: the group needs your reason.")
    if len(reason) > SHORT_TEXT_MAX:
        errors["reason"] = _("At most %(limit)d characters (this text has %(length)d).") % {
            "limit": SHORT_TEXT_MAX,
            "length": len(reason),
        }
    if errors:
        raise RecommendationInvalid(errors)
    with transaction.atomic():
        locked: ConsentRound = (
            ConsentRound.objects.select_for_update(of=("self",))
            .select_related("recommendation__group")
            .get(pk=consent_round.pk)
        )
        if locked.closed_at is not None or now >= locked.closes_at:
            raise RecommendationInvalid({"__all__": _("The consent round is closed: answers are no longer taken.")})
        group = locked.recommendation.group
        if group is None or not is_group_member(group, by):
            raise RecommendationInvalid({"__all__": _("Only the group's members answer its consent round.")})
        answer, _created = ConsentAnswer.objects.update_or_create(
            round=locked,
            user=by,
            defaults={"position": position, "reason": reason, "language": _language(language), "answered_at": now},
        )
    return answer


def consent_result(*, agree: int, abstain: int, disagree: int, block: int) -> str:
    """Loomio's consent: one block stops it; otherwise it passes when more agree than disagree."""
    if block:
        return ConsentResult.BLOCKED
    if agree == 0 or disagree >= agree:
        return ConsentResult.NOT_ADOPTED
    return ConsentResult.ADOPTED


def close_consent_round(*, consent_round: ConsentRound, by: Any = None, now: datetime | None = None) -> ConsentRound:
    """Close a round (at its closing time, or earlier by the group's secretary or moderator).

    The counts and the result are written on the round; the recommendation becomes adopted,
    or goes back to a draft. Closing a closed round changes nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked: ConsentRound = ConsentRound.objects.select_for_update().get(pk=consent_round.pk)
        if locked.closed_at is not None:
            return locked
        counts = dict(locked.answers.values_list("position").annotate(n=Count("pk")).values_list("position", "n"))
        locked.agree_count = counts.get(Position.AGREE, 0)
        locked.abstain_count = counts.get(Position.ABSTAIN, 0)
        locked.disagree_count = counts.get(Position.DISAGREE, 0)
        locked.block_count = counts.get(Position.BLOCK, 0)
        locked.result = consent_result(
            agree=locked.agree_count,
            abstain=locked.abstain_count,
            disagree=locked.disagree_count,
            block=locked.block_count,
        )
        locked.closed_at = min(now, locked.closes_at) if by is None else now
        locked.save()
        recommendation = _locked(locked.recommendation)
        if recommendation.status == S.CONSENT:
            target = S.ADOPTED if locked.result == ConsentResult.ADOPTED else S.DRAFT
            _move(recommendation, target, by=by, now=now)
    return locked


def close_due_rounds(*, now: datetime | None = None) -> int:
    """Close every round whose closing time has passed; returns how many (for the command and the pages)."""
    now = now or timezone.now()
    due = list(ConsentRound.objects.filter(closed_at__isnull=True, closes_at__lte=now).values_list("pk", flat=True))
    for pk in due:
        close_consent_round(consent_round=ConsentRound(pk=pk), now=now)
    return len(due)


# ---------------------------------------------------------------------------
# Submission, withdrawal, taking a draft up again


def submit_recommendation(*, by: Any, recommendation: Recommendation, now: datetime | None = None) -> None:
    """The group gives its adopted recommendation to the team. Raises RecommendationInvalid."""
    with transaction.atomic():
        current = _locked(recommendation)
        _move(current, S.SUBMITTED, by=by, now=now)
    recommendation.refresh_from_db()


def withdraw_recommendation(
    *, by: Any, recommendation: Recommendation, reason: str, now: datetime | None = None
) -> None:
    """The group takes back a submitted recommendation before the team puts it in a synthesis."""
    reason = reason.strip()
    if not reason:
        raise RecommendationInvalid({"reason": _("Say why the group withdraws it: the team reads it.")})
    if len(reason) > SHORT_TEXT_MAX:
        raise RecommendationInvalid(
            {
                "reason": _("At most %(limit)d characters (this text has %(length)d).")
                % {"limit": SHORT_TEXT_MAX, "length": len(reason)}
            }
        )
    with transaction.atomic():
        current = _locked(recommendation)
        if current.status == S.IN_SYNTHESIS:
            raise RecommendationInvalid(
                {"__all__": _("The team has already put it in a synthesis: ask the team to take it out first.")}
            )
        if has_board_decision(current):
            raise RecommendationInvalid(
                {"__all__": _("The board has already recorded its decision on it: it can no longer be withdrawn.")}
            )
        _move(current, S.WITHDRAWN, by=by, now=now)
        current.withdrawn_reason = reason
        current.save(update_fields=["withdrawn_reason"])
    recommendation.refresh_from_db()


def has_board_decision(recommendation: Recommendation) -> bool:
    """The board recorded a decision on this recommendation itself (published or not yet)."""
    return BoardDecision.objects.filter(recommendation=recommendation).exists()


def can_withdraw(recommendation: Recommendation) -> bool:
    """Submitted and without a decision of the board: the group may still take it back."""
    return recommendation.status == S.SUBMITTED and not has_board_decision(recommendation)


def reopen_draft(*, by: Any, recommendation: Recommendation, now: datetime | None = None) -> None:
    """An adopted or withdrawn recommendation becomes a draft again (a new consent round is needed)."""
    with transaction.atomic():
        current = _locked(recommendation)
        if current.status == S.CONSENT:
            raise RecommendationInvalid({"__all__": _("A consent round is open: close it first.")})
        _move(current, S.DRAFT, by=by, now=now)
    recommendation.refresh_from_db()


__all__ = [
    "STRUCTURED_FIELDS",
    "TRANSITIONS",
    "RecommendationInvalid",
    "StaleDraft",
    "add_idea",
    "answer_consent",
    "can_withdraw",
    "close_consent_round",
    "close_due_rounds",
    "create_draft",
    "has_board_decision",
    "open_consent_round",
    "reopen_draft",
    "save_draft",
    "submit_recommendation",
    "withdraw_recommendation",
]
