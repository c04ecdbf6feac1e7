"""Publishing a formation run: the edition's one published proposal, and the emails it sends.

An edition has at most one published proposal (a database constraint). The
first publication proposes each placed person their group and tells each
person left out why and what they can do. Publishing another run *replaces*
the published proposal: only the people whose place changes
(``changes.proposal_changes``) are emailed, each with what changed; those who
lose their group go back to "submitted" and are told why. The replaced run
stays as a record, no longer published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.core.mail import queue_email
from coopsip.editions.models import Edition
from coopsip.formation.changes import ChangeKind, PersonChange, Placement, ProposalChanges, proposal_changes
from coopsip.formation.inputs import slot_label
from coopsip.formation.models import FormationRun, ProposedGroup, RunStatus
from coopsip.formation.reasons import Names, unplaced_text
from coopsip.formation.services import FormationRefused
from coopsip.registrations.eligibility import window_refusal
from coopsip.registrations.models import Registration, RegistrationStatus


@dataclass(frozen=True)
class Publication:
    """What publishing did: the run it replaced (or None) and how many people were told what."""

    replaced: FormationRun | None
    changes: ProposalChanges | None  # None: the run was already published, nothing was done

    @property
    def told(self) -> int:
        return len(self.changes.people) if self.changes else 0

    def count(self, kind: ChangeKind) -> int:
        return self.changes.counts.get(kind, 0) if self.changes else 0


def changes_to_publish(run: FormationRun) -> ProposalChanges:
    """What publishing ``run`` now would change: against the edition's published proposal (if any), for the
    people whose registration is active. The confirmation page shows it; ``publish_run`` checks it again."""
    published = FormationRun.objects.filter(
        edition_id=run.edition_id, published_at__isnull=False, replaced_at__isnull=True
    ).first()
    return proposal_changes(published, run, only_active=True)


def replacing_refused(*, run: FormationRun, changes: ProposalChanges) -> str:
    """Why ``run`` may not replace the published proposal ("" when it may).

    The working groups are built on the published proposal: once people answered it, changes are made
    there (close, merge, move people), not by publishing another run.
    """
    if changes.old is not None and Registration.objects.filter(edition_id=run.edition_id, status__in=ANSWERED).exists():
        return str(
            _(
                "People have already answered the published proposal: it can no longer be replaced. Change the "
                "working groups instead (close, merge, move people) on the page of the working groups."
            )
        )
    return ""


def publish_run(*, by: Any, run: FormationRun, confirmed: str | None = None) -> Publication:
    """Make ``run`` the edition's published proposal and tell the people whose place changes.

    Under a lock on the edition (one publication at a time): when another run is published, it is marked
    replaced by this one. Only the people ``changes_to_publish`` lists are emailed, in their language, each
    once per run (the outbox key): a group proposed (those who get one), what changed (those who move or
    change role), the reason and what they can do (those who lose their group or have none). Registrations
    placed become "proposed"; proposed ones without a group go back to "submitted"; withdrawn ones are
    neither changed nor told.

    ``confirmed`` is the fingerprint of the changes the staff member saw (``ProposalChanges.fingerprint``):
    when given and no longer equal, nothing is done and FormationRefused says so. Publishing the published
    run again does nothing (``Publication.changes`` is None); a replaced or unfinished run is refused.
    """
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=run.edition_id)
        run = FormationRun.objects.select_for_update().select_related("edition").get(pk=run.pk)
        if run.status != RunStatus.DONE:
            raise FormationRefused(_("This run has not finished."))
        if run.replaced_at is not None:
            raise FormationRefused(
                _("This proposal was replaced by another run: publish that run's re-run or a new run instead.")
            )
        if run.published_at is not None:
            return Publication(replaced=None, changes=None)
        changes = changes_to_publish(run)
        refusal = replacing_refused(run=run, changes=changes)
        if refusal:
            raise FormationRefused(refusal)
        if confirmed is not None and confirmed != changes.fingerprint:
            raise FormationRefused(
                _("The proposals changed since the page was opened: nothing was published. Check the changes again.")
            )
        now = timezone.now()
        replaced = changes.old
        if replaced is not None:
            FormationRun.objects.filter(pk=replaced.pk).update(replaced_at=now, replaced_by=run)
        run.published_at, run.published_by = now, by
        run.save(update_fields=["published_at", "published_by"])
        _set_statuses(run)
        record_change(
            actor=by,
            obj=run.edition,
            action="formation_published",
            changes={"run": run.number, "replaced": replaced.number if replaced else None}
            | {str(kind): count for kind, count in changes.counts.items()},
        )
        _tell(run, changes)
    return Publication(replaced=replaced, changes=changes)


# Answers to a published proposal (the working groups): from then on it cannot be replaced.
ANSWERED = (RegistrationStatus.ACCEPTED, RegistrationStatus.DECLINED, RegistrationStatus.EXPIRED)


def _set_statuses(run: FormationRun) -> None:
    placed = run.members.values("registration_id")
    Registration.objects.filter(edition_id=run.edition_id, status=RegistrationStatus.PROPOSED).exclude(
        pk__in=placed
    ).update(status=RegistrationStatus.SUBMITTED)
    Registration.objects.filter(pk__in=placed, status=RegistrationStatus.SUBMITTED).update(
        status=RegistrationStatus.PROPOSED
    )


# ---------------------------------------------------------------------------
# The emails


TEMPLATES = {
    ChangeKind.JOINED: "proposed",
    ChangeKind.MOVED: "changed",
    ChangeKind.NEW_ROLE: "changed",
    ChangeKind.LEFT: "without",
    ChangeKind.STILL_WITHOUT: "without",
}


def describe(group: ProposedGroup) -> str:
    """A group as its members see it, in the active language: theme, where (or by video), language, time slot.

    ``group.theme`` and ``group.office`` should be loaded with it."""
    where = (
        _("in person at %(office)s") % {"office": group.office.name}
        if group.office_id and group.office is not None
        else _("by video")
    )
    return _("%(theme)s, %(where)s, in %(language)s, %(slot)s") % {
        "theme": group.theme.title,
        "where": where,
        "language": group.get_language_display(),
        "slot": slot_label(group.slot),
    }


# What a person without a group can change in their registration, by the engine's reason.
_BY_VIDEO = "by_video"
_SLOTS = "slots"
_THEME = "theme"
_ANSWERS = "answers"
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "no_office_near": (_BY_VIDEO,),
    "theme_not_in_country": (_THEME,),
    "no_slots": (_SLOTS,),
    "no_language": (_ANSWERS,),
    "no_common_slot": (_SLOTS, _THEME, _BY_VIDEO),
    "too_few_people": (_SLOTS, _THEME, _BY_VIDEO),
    "no_moderator": (_SLOTS, _THEME, _BY_VIDEO),
    "no_secretary": (_SLOTS, _THEME, _BY_VIDEO),
    "groups_full": (_SLOTS, _THEME, _BY_VIDEO),
}


def _suggestions(code: str, registration: Registration) -> list[str]:
    texts = {
        _BY_VIDEO: _("meet by video as well: video groups bring together people from everywhere"),
        _SLOTS: _("add the time slots when you could also meet"),
        _THEME: _("choose another theme, or a second and third choice"),
        _ANSWERS: _("complete your answers (working languages, time slots)"),
    }
    keys = SUGGESTIONS.get(code, (_SLOTS, _THEME, _BY_VIDEO))
    # Who already meets by video gains nothing from being told to.
    return [texts[key] for key in keys if not (key == _BY_VIDEO and registration.mode != "in_person")]


def _tell(run: FormationRun, changes: ProposalChanges) -> None:
    if not changes.people:
        return
    registrations = Registration.objects.select_related("user", "edition").in_bulk(
        [change.registration_id for change in changes.people]
    )
    sizes = dict(run.groups.annotate(size=Count("members")).values_list("pk", "size"))
    window_open = window_refusal(run.edition, timezone.now()) is None
    # Theme and office names, read once per language (not once per person).
    names: dict[str, Names] = {}
    for change in changes.people:
        registration = registrations[change.registration_id]
        language_names = names.setdefault(registration.user.preferred_language, Names())
        _tell_one(run, change, registration, sizes=sizes, window_open=window_open, names=language_names)


def _group_context(place: Placement | None, sizes: dict[int, int]) -> dict[str, Any]:
    if place is None:
        return {}
    group = place.group
    return {
        "group": group,
        "role": place.role,
        "slot": slot_label(group.slot),
        "language": group.get_language_display(),
        "members": sizes.get(group.pk, 0),
        "description": describe(group),
    }


def _tell_one(
    run: FormationRun,
    change: PersonChange,
    registration: Registration,
    *,
    sizes: dict[int, int],
    window_open: bool,
    names: Names,
) -> None:
    user = registration.user
    name = TEMPLATES[change.kind]
    with translation.override(user.preferred_language):
        context: dict[str, Any] = {
            "user": user,
            "edition": run.edition,
            "kind": str(change.kind),
            "site_url": settings.SITE_URL,
            "contact_email": settings.COOPSIP_CONTACT_EMAIL,
            "registration_url": settings.SITE_URL
            + reverse("registrations:register", kwargs={"slug": run.edition.slug}),
            "mine_url": settings.SITE_URL + reverse("registrations:mine", kwargs={"slug": run.edition.slug}),
            "window_open": window_open,
            "closes_at": run.edition.registration_closes_at,
        } | _group_context(change.after, sizes)
        if change.before is not None:
            context["before"] = describe(change.before.group)
            context["before_role"] = change.before.role
            context["same_look"] = change.after is not None and context["before"] == context["description"]
        if change.after is None:
            reason = change.reason
            context["reason"] = unplaced_text(reason.code, reason.params, names) if reason else ""
            context["suggestions"] = _suggestions(reason.code if reason else "", registration)
        subject = render_to_string(f"formation/email/{name}_subject.txt", context).strip()
        body = render_to_string(f"formation/email/{name}.txt", context)
    # One email per person per published run: publishing again, or a retried request, sends nothing more.
    queue_email(
        key=f"formation:{name}:{run.pk}:{registration.pk}",
        to_email=user.email,
        subject=subject,
        body_text=body,
        user=user,
    )
