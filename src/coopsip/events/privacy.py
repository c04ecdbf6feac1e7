from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from coopsip.core import privacy
from coopsip.core.models import ChangeRecord
from coopsip.events.models import SEATED, CalendarFeed, CircleMember, Event, MinutesAttachment, SignUp, SignUpStatus


def _export(user: Any) -> dict[str, Any]:
    return {
        "sign_ups": [
            {
                "event": str(s.event),
                "starts_at": s.event.starts_at.isoformat(),
                "status": s.status,
                "signed_up_at": s.created_at.isoformat(),
            }
            for s in SignUp.objects.filter(user=user).select_related("event")
        ],
        "groups": [
            {"group": str(m.circle), "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in CircleMember.objects.filter(user=user).select_related("circle")
        ],
    }


def _erase(user: Any) -> None:
    from coopsip.events.services import cancel_sign_up_in_transaction

    # Seats at coming events go to the people waiting, as when the person cancels.
    upcoming = SignUp.objects.filter(
        user=user, status__in=(*SEATED, SignUpStatus.WAITING), event__starts_at__gt=timezone.now()
    ).values_list("pk", flat=True)
    now = timezone.now()
    for signup_id in list(upcoming):
        cancel_sign_up_in_transaction(signup_id=signup_id, now=now)
    SignUp.objects.filter(user=user).delete()
    # Sign-ups made without logging in, under the same address, are the person's too.
    SignUp.objects.filter(user__isnull=True, email__iexact=user.email).delete()
    CircleMember.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    _anonymise_attachments(user)


def _anonymise_attachments(user: Any) -> None:
    """The files a person attached to minutes stay with the meeting's record (already stored under a
    generated name), renamed ``attachment-<n>.<ext>`` and without their uploader; their original
    names go from the meeting's history too, also for files removed since."""
    event_type = ContentType.objects.get_for_model(Event)
    names: dict[int, dict[str, str]] = defaultdict(dict)  # per event: original name -> neutral name
    for attachment in MinutesAttachment.objects.filter(uploaded_by=user):
        new = privacy.neutral_name("attachment", attachment.pk, attachment.name)
        names[attachment.event_id][attachment.name] = new
        attachment.name = new
        attachment.uploaded_by = None
        attachment.save(update_fields=["name", "uploaded_by"])
    added = ChangeRecord.objects.filter(actor=user, content_type=event_type, action="attachment_added")
    for record in added:
        original = str(record.changes.get("name", ""))
        if original:
            names[record.object_id].setdefault(
                original, privacy.neutral_name("removed-attachment", record.pk, original)
            )
    for event_id, replacements in names.items():
        privacy.scrub_history(ChangeRecord.objects.filter(content_type=event_type, object_id=event_id), replacements)


privacy.register(
    "events",
    export=_export,
    erase=_erase,
    models=("events.SignUp", "events.CircleMember", "events.CalendarFeed"),
    # What a person organised, recorded or uploaded stays, without their name.
    kept_models=("events.Event", "events.Series", "events.SignUp", "events.MinutesAttachment"),
)
