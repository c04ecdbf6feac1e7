"""Every change of the networking app: profiles, offers and needs, contacts, reports, saved searches.

Each service is keyword-only, runs in one transaction and queues its emails on commit through
``core.mail`` with an idempotent key. Texts are indexed for search (``core.search.index_texts``)
in the same transaction as the change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsip.core import notifications, ratelimit
from coopsip.core.mail import queue_email
from coopsip.core.search import TextPart, index_texts
from coopsip.networking.models import (
    DEFAULT_DAYS,
    MAX_RADIUS_KM,
    ContactMessage,
    ContactThread,
    EventFollowUp,
    JoinRequest,
    Listing,
    ListingStatus,
    PartnerMeeting,
    Profile,
    Project,
    ProjectMember,
    ProjectRecommendation,
    Report,
    SavedSearch,
    Sector,
    SectorNetwork,
    Skill,
    event_sectors,
)

TOPIC_MATCHES = "networking.matches"
TOPIC_SECTOR_NETWORKS = "networking.sector_networks"
# A member may start this many contacts an hour (answers in a thread they are in are not counted).
CONTACTS_PER_HOUR = 8
MESSAGES_PER_HOUR = 30
RENEW_SALT = "networking.renew"
RENEW_MAX_AGE = 60 * 60 * 24 * 30
REMIND_DAYS_BEFORE = 7


class NetworkingError(Exception):
    """A change refused for a reason the person can act on; ``str()`` is the translated message."""


class RateLimited(NetworkingError):
    pass


def register_notification_topics() -> None:
    notifications.register_topic(
        TOPIC_MATCHES, gettext_lazy("New offers and needs for your saved searches and your needs")
    )
    notifications.register_topic(
        TOPIC_SECTOR_NETWORKS,
        gettext_lazy("Sector networks: requests to join the networks you coordinate, and answers to yours"),
        default=notifications.EACH,
    )


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _vocabulary_text(sectors: list[Sector], skills: list[Skill]) -> str:
    names: list[str] = []
    for term in [*sectors, *skills]:
        names += [term.name_nl or "", term.name_fr or "", term.name_en or "", *term.synonym_list()]  # type: ignore[attr-defined]
    return " ".join(names)


# --- Profiles ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileInput:
    is_visible: bool
    activity: str = ""
    sectors: tuple[Sector, ...] = ()
    skills: tuple[Skill, ...] = ()
    services: str = ""
    languages: tuple[str, ...] = ()
    office_id: int | None = None
    municipality_id: int | None = None
    radius_km: int = 30
    in_person: bool = True
    remote: bool = False
    about: str = ""
    links: str = ""
    looking_for: str = ""
    shown: tuple[str, ...] = field(default_factory=tuple)


@transaction.atomic
def save_profile(*, user: Any, data: ProfileInput) -> Profile:
    """Create or change the person's professional profile (one per person)."""
    profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
    profile.is_visible = data.is_visible
    profile.activity = _single_line(data.activity)[:200]
    profile.services = data.services
    profile.languages = [code for code in data.languages if code in ("nl", "fr", "en")]
    profile.office_id = data.office_id
    profile.municipality_id = data.municipality_id
    profile.radius_km = max(0, min(MAX_RADIUS_KM, data.radius_km))
    profile.in_person, profile.remote = data.in_person, data.remote
    profile.about, profile.links, profile.looking_for = data.about, data.links, data.looking_for
    profile.shown = list(data.shown)
    profile.save()
    profile.sectors.set(data.sectors)
    profile.skills.set(data.skills)
    language = user.preferred_language
    index_texts(
        Profile.objects.filter(pk=profile.pk),
        [
            TextPart(profile.activity, language, "A"),
            TextPart(f"{profile.services} {profile.about} {profile.looking_for}", language),
            TextPart(_vocabulary_text(list(data.sectors), list(data.skills)), None),
        ],
    )
    return profile


# --- Offers and needs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingInput:
    kind: str
    category: str
    title: str
    body: str
    language: str
    sectors: tuple[Sector, ...] = ()
    skills: tuple[Skill, ...] = ()
    tags: str = ""
    municipality_id: int | None = None
    radius_km: int = 25
    remote: bool = False
    starts_on: date | None = None
    ends_on: date | None = None
    pay: str = "paid"


def _check(data: ListingInput) -> None:
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise NetworkingError(_("The end date comes before the start date."))
    if data.municipality_id is None and not data.remote:
        raise NetworkingError(_("Say where (a place) or tick that it can be done remotely."))


def _index_listing(listing: Listing, sectors: list[Sector], skills: list[Skill]) -> None:
    index_texts(
        Listing.objects.filter(pk=listing.pk),
        [
            TextPart(listing.title, listing.language, "A"),
            TextPart(f"{listing.body} {listing.tags}", listing.language),
            TextPart(_vocabulary_text(sectors, skills), None),
        ],
    )


def _apply(listing: Listing, data: ListingInput) -> None:
    listing.kind, listing.category = data.kind, data.category
    listing.title = _single_line(data.title)[:140]
    listing.body = data.body[:5000]
    listing.language = data.language
    listing.tags = _single_line(data.tags)[:200]
    listing.municipality_id = data.municipality_id
    listing.radius_km = max(0, min(MAX_RADIUS_KM, data.radius_km))
    listing.remote = data.remote
    listing.starts_on, listing.ends_on = data.starts_on, data.ends_on
    listing.pay = data.pay


@transaction.atomic
def publish_listing(*, author: Any, data: ListingInput, now: datetime | None = None) -> Listing:
    """Publish an offer or a need, shown for ``DEFAULT_DAYS`` days."""
    _check(data)
    now = now or timezone.now()
    listing = Listing(author=author, expires_at=now + timedelta(days=DEFAULT_DAYS))
    _apply(listing, data)
    listing.save()
    listing.sectors.set(data.sectors)
    listing.skills.set(data.skills)
    _index_listing(listing, list(data.sectors), list(data.skills))
    return listing


@transaction.atomic
def change_listing(*, listing: Listing, data: ListingInput) -> Listing:
    """Change the author's own offer or need (its dates of publication stay)."""
    _check(data)
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    _apply(listing, data)
    listing.save()
    listing.sectors.set(data.sectors)
    listing.skills.set(data.skills)
    _index_listing(listing, list(data.sectors), list(data.skills))
    return listing


@transaction.atomic
def withdraw_listing(*, listing: Listing) -> Listing:
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status == ListingStatus.PUBLISHED:
        listing.status = ListingStatus.WITHDRAWN
        listing.save(update_fields=["status", "updated_at"])
    return listing


@transaction.atomic
def renew_listing(*, listing: Listing, now: datetime | None = None) -> Listing:
    """Show the offer or need ``DEFAULT_DAYS`` more days from now (also after it expired or was withdrawn).

    A listing the team hid stays hidden: renewing does not undo a moderation."""
    now = now or timezone.now()
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status == ListingStatus.HIDDEN:
        raise NetworkingError(_("The team hid this offer or need; it cannot be renewed."))
    listing.status = ListingStatus.PUBLISHED
    listing.expires_at = now + timedelta(days=DEFAULT_DAYS)
    listing.reminded_at = None
    listing.save(update_fields=["status", "expires_at", "reminded_at", "updated_at"])
    return listing


def renew_token(listing: Listing) -> str:
    """The key of the one-click renewal link in the reminder email (valid 30 days, for this listing only)."""
    return signing.dumps({"listing": listing.pk, "author": listing.author_id}, salt=RENEW_SALT)


def listing_for_renew_token(token: str) -> Listing | None:
    try:
        value = signing.loads(token, salt=RENEW_SALT, max_age=RENEW_MAX_AGE)
    except signing.BadSignature:
        return None
    return Listing.objects.filter(pk=value.get("listing"), author_id=value.get("author")).first()


def _email(*, key: str, to: Any, template: str, context: dict[str, Any]) -> None:
    with translation.override(to.preferred_language):
        context = {**context, "site_url": settings.SITE_URL, "person": to}
        subject = render_to_string(f"networking/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"networking/email/{template}.txt", context)
    queue_email(key=key, to_email=to.email, subject=subject, body_text=body, user=to)


@transaction.atomic
def hide_listing(*, listing: Listing, by: Any, reason: str, now: datetime | None = None) -> Listing:
    """The team hides an offer or need; its author is told why."""
    reason = reason.strip()
    if not reason:
        raise NetworkingError(_("Say why: the author is told."))
    listing = Listing.objects.select_for_update().select_related("author").get(pk=listing.pk)
    if listing.status == ListingStatus.HIDDEN:
        return listing
    listing.status = ListingStatus.HIDDEN
    listing.hidden_reason = reason[:2000]
    listing.hidden_at = now or timezone.now()
    listing.save(update_fields=["status", "hidden_reason", "hidden_at", "updated_at"])
    Report.objects.filter(listing=listing, handled_at=None).update(handled_at=listing.hidden_at)
    _email(
        key=f"networking:hidden:{listing.pk}:{listing.hidden_at.isoformat()}",
        to=listing.author,
        template="hidden",
        context={"listing": listing, "reason": listing.hidden_reason},
    )
    return listing


@transaction.atomic
def dismiss_reports(*, listing: Listing, now: datetime | None = None) -> int:
    return Report.objects.filter(listing=listing, handled_at=None).update(handled_at=now or timezone.now())


def send_expiry_reminders(*, now: datetime | None = None) -> int:
    """Email the authors of offers and needs that end within a week, once each, with a one-click renewal link."""
    now = now or timezone.now()
    due = Listing.objects.filter(
        status=ListingStatus.PUBLISHED,
        reminded_at=None,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=REMIND_DAYS_BEFORE),
    ).select_related("author")
    count = 0
    for listing in due.iterator(chunk_size=500):
        with transaction.atomic():
            Listing.objects.filter(pk=listing.pk).update(reminded_at=now)
            _email(
                key=f"networking:expiry:{listing.pk}:{listing.expires_at.isoformat()}",
                to=listing.author,
                template="expiry",
                context={
                    "listing": listing,
                    "renew_url": settings.SITE_URL
                    + reverse_in(
                        listing.author.preferred_language, "networking:renew_link", token=renew_token(listing)
                    ),
                },
            )
        count += 1
    return count


def reverse_in(language: str, name: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


# --- Contact through the platform -------------------------------------------------------------------


@transaction.atomic
def write_to_author(*, listing: Listing, sender: Any, body: str) -> ContactThread:
    """A member writes to the author of an offer or need. The message is relayed by email; neither address
    is shown to the other until the author answers. At most ``CONTACTS_PER_HOUR`` new contacts an hour."""
    body = body.strip()
    if not body:
        raise NetworkingError(_("Write a message."))
    if listing.author_id == sender.pk:
        raise NetworkingError(_("This is your own offer or need."))
    if not listing.is_shown():
        raise NetworkingError(_("This offer or need is no longer shown: it cannot be answered."))
    thread = ContactThread.objects.filter(listing=listing, sender=sender).first()
    if thread is None:
        if not ratelimit.consume(key=f"networking:contact:{sender.pk}", limit=CONTACTS_PER_HOUR, period=3600):
            raise RateLimited(
                _("You wrote to many members in the last hour. Please wait an hour before writing to someone new.")
            )
        try:
            with transaction.atomic():
                thread = ContactThread.objects.create(listing=listing, sender=sender)
        except IntegrityError:  # the same person, twice at once: one thread
            thread = ContactThread.objects.get(listing=listing, sender=sender)
    write_message(thread=thread, author=sender, body=body)
    return thread


@transaction.atomic
def write_message(*, thread: ContactThread, author: Any, body: str) -> ContactMessage:
    """A message in a contact thread, relayed to the other person. The author's first answer reveals
    both addresses (on the thread page and in the email)."""
    body = body.strip()[:3000]
    if not body:
        raise NetworkingError(_("Write a message."))
    if not ratelimit.consume(key=f"networking:message:{author.pk}", limit=MESSAGES_PER_HOUR, period=3600):
        raise RateLimited(_("You sent many messages in the last hour. Please wait a little before writing again."))
    thread = ContactThread.objects.select_for_update().select_related("listing__author", "sender").get(pk=thread.pk)
    listing = thread.listing
    if author.pk not in (thread.sender_id, listing.author_id):
        raise NetworkingError(_("You are not part of this conversation."))
    message = ContactMessage.objects.create(thread=thread, author=author, body=body)
    if author.pk == listing.author_id and thread.answered_at is None:
        thread.answered_at = message.created_at
        thread.save(update_fields=["answered_at"])
    recipient = thread.sender if author.pk == listing.author_id else listing.author
    _email(
        key=f"networking:message:{message.pk}",
        to=recipient,
        template="message",
        context={
            "message": message,
            "listing": listing,
            "writer": author,
            "revealed": thread.answered_at is not None,
            "thread_url": settings.SITE_URL
            + reverse_in(recipient.preferred_language, "networking:thread", pk=thread.pk),
        },
    )
    return message


# --- Reports and saved searches ---------------------------------------------------------------------


@transaction.atomic
def report(*, listing: Listing, reporter: Any, reason: str, message: ContactMessage | None = None) -> Report:
    reason = reason.strip()
    if not reason:
        raise NetworkingError(_("Say what is wrong."))
    if not ratelimit.consume(key=f"networking:report:{reporter.pk}", limit=20, period=3600):
        raise RateLimited(_("You sent many reports in the last hour. Please wait a little."))
    return Report.objects.create(listing=listing, message=message, reporter=reporter, reason=reason[:2000])


@transaction.atomic
def save_search(*, user: Any, name: str, query: str, filters: dict[str, Any], frequency: str) -> SavedSearch:
    name = _single_line(name)[:100] or _single_line(query)[:100] or _("My search")
    if SavedSearch.objects.filter(user=user).count() >= 20:
        raise NetworkingError(_("You keep 20 searches already: delete one first."))
    return SavedSearch.objects.create(user=user, name=name, query=query[:200], filters=filters, frequency=frequency)


@transaction.atomic
def delete_saved_search(*, saved: SavedSearch) -> None:
    saved.delete()


# --- Projects and partner meetings ------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectInput:
    title: str
    description: str
    needs: str = ""
    offers: str = ""
    sectors: tuple[Sector, ...] = ()


@transaction.atomic
def create_project(*, owner: Any, data: ProjectInput) -> Project:
    """A member puts a project forward (its owner); members may then join its team or recommend someone."""
    title = _single_line(data.title)[:140]
    if not title or not data.description.strip():
        raise NetworkingError(_("Give the project a title and say what it is."))
    project = Project.objects.create(
        owner=owner,
        title=title,
        description=data.description[:5000],
        needs=data.needs[:2000],
        offers=data.offers[:2000],
    )
    project.sectors.set(data.sectors)
    return project


@transaction.atomic
def join_project(*, project: Project, user: Any) -> ProjectMember:
    if project.owner_id == user.pk:
        raise NetworkingError(_("You own this project."))
    member = ProjectMember.objects.filter(project=project, user=user).first()
    if member is not None:
        return member
    if not project.is_open:
        raise NetworkingError(_("This project takes no new team members."))
    try:
        with transaction.atomic():
            member = ProjectMember.objects.create(project=project, user=user)
    except IntegrityError:  # a double click: one membership
        member = ProjectMember.objects.get(project=project, user=user)
    _email(
        key=f"networking:project:{project.pk}:joined:{user.pk}",
        to=project.owner,
        template="project_joined",
        context={"project": project, "member": user},
    )
    return member


@transaction.atomic
def leave_project(*, project: Project, user: Any) -> None:
    ProjectMember.objects.filter(project=project, user=user).delete()


@transaction.atomic
def recommend_to_project(*, project: Project, by: Any, text: str) -> ProjectRecommendation:
    text = text.strip()
    if not text:
        raise NetworkingError(_("Say who could help and why."))
    if not ratelimit.consume(key=f"networking:recommend:{by.pk}", limit=20, period=3600):
        raise RateLimited(_("You sent many recommendations in the last hour. Please wait a little."))
    return ProjectRecommendation.objects.create(project=project, by=by, text=text[:1000])


def organise_partner_meeting(*, project: Project, by: Any, data: Any) -> PartnerMeeting:
    """The owner organises a partner meeting open to members: an event of the events engine (kind "partner
    meeting"), linked to the project. ``data`` is an ``events.services.EventInput``; raises EventInvalid."""
    from dataclasses import replace

    from coopsip.events import services as events_services
    from coopsip.events.models import Audience, EventKind

    data = replace(data, kind=EventKind.PARTNER_MEETING, audience=Audience.MEMBERS, circle=None)
    with transaction.atomic():
        event = events_services.create_event(by=by, data=data)
        return PartnerMeeting.objects.create(project=project, event=event)


# --- Sector networks ------------------------------------------------------------------------------------
# A sector network is a ``Circle`` of the events engine: joining and leaving go through the events services
# (the person gets, or loses, their seat at the network's coming meetings).


def coordinators_of(network: SectorNetwork) -> list[Any]:
    from coopsip.events.models import CircleMember, CircleRole

    return [
        membership.user
        for membership in CircleMember.objects.filter(
            circle_id=network.circle_id, role__in=(CircleRole.MODERATOR, CircleRole.SECRETARY)
        ).select_related("user")
    ]


def in_network(network: SectorNetwork, user: Any) -> bool:
    from coopsip.events.models import CircleMember

    return CircleMember.objects.filter(circle_id=network.circle_id, user_id=user.pk).exists()


def create_sector_network(
    *, circle: Any, sector: Sector, names: dict[str, str], descriptions: dict[str, str] | None = None,
    how_to_join: dict[str, str] | None = None,
) -> SectorNetwork:  # fmt: skip
    """Mark ``circle`` as the network of ``sector``; names (and texts) per language code nl/fr/en."""
    values: dict[str, Any] = {"circle": circle, "sector": sector}
    for code in ("nl", "fr", "en"):
        values[f"name_{code}"] = _single_line(names.get(code, ""))[:200]
        values[f"description_{code}"] = (descriptions or {}).get(code, "")
        values[f"how_to_join_{code}"] = (how_to_join or {}).get(code, "")
    if not any(values[f"name_{code}"] for code in ("nl", "fr", "en")):
        raise NetworkingError(_("Give the network a name in at least one language."))
    with transaction.atomic():
        network = SectorNetwork.objects.create(**values)
    return network


def ask_to_join(*, network: SectorNetwork, user: Any, message: str = "", notify: bool = True) -> JoinRequest:
    """The member asks to join; the coordinators are told (each as they chose) and accept or decline.

    ``notify=False`` tells nobody (demo data)."""
    if not network.is_active:
        raise NetworkingError(_("This network is closed."))
    if in_network(network, user):
        raise NetworkingError(_("You are already in this network."))
    with transaction.atomic():
        request, created = JoinRequest.objects.get_or_create(
            network=network,
            user=user,
            status=JoinRequest.Status.WAITING,
            defaults={"message": message.strip()[:1000]},
        )
        if created and notify:
            coordinators = coordinators_of(network)
            transaction.on_commit(lambda: _tell_coordinators(request, coordinators))
    return request


def _tell_coordinators(request: JoinRequest, coordinators: list[Any]) -> None:
    url = settings.SITE_URL + reverse("networking:sector_network_manage", kwargs={"pk": request.network_id})
    name = request.user.get_full_name() or str(request.user)

    def render(person: Any) -> notifications.Message:
        return notifications.Message(
            subject=_("%(name)s asks to join %(network)s") % {"name": name, "network": request.network.name},
            text=request.message,
            url=url,
        )

    notifications.notify(
        topic=TOPIC_SECTOR_NETWORKS,
        key=f"networking:join:{request.pk}",
        recipients=coordinators,
        render=render,
    )


def decide_join_request(
    *, request: JoinRequest, by: Any, accept: bool, now: datetime | None = None, notify: bool = True
) -> JoinRequest:
    """A coordinator (or staff) accepts (the person joins the circle) or declines a waiting request."""
    from coopsip.events import services as events_services

    with transaction.atomic():
        locked = JoinRequest.objects.select_for_update().select_related("network", "user").get(pk=request.pk)
        if locked.status != JoinRequest.Status.WAITING:
            raise NetworkingError(_("This request was already answered."))
        locked.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
        locked.decided_at = now or timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "decided_at", "decided_by"])
        if accept:
            events_services.add_to_circle(circle=locked.network.circle, user=locked.user)
        if notify:
            transaction.on_commit(lambda: _tell_requester(locked))
    return locked


def _tell_requester(request: JoinRequest) -> None:
    url = settings.SITE_URL + reverse("networking:sector_network", kwargs={"pk": request.network_id})
    accepted = request.status == JoinRequest.Status.ACCEPTED

    def render(person: Any) -> notifications.Message:
        if accepted:
            subject = _("You are now in %(network)s") % {"network": request.network.name}
        else:
            subject = _("Your request to join %(network)s was declined") % {"network": request.network.name}
        return notifications.Message(subject=subject, text="", url=url)

    notifications.notify(
        topic=TOPIC_SECTOR_NETWORKS,
        key=f"networking:join-decided:{request.pk}",
        recipients=[request.user],
        render=render,
    )


def leave_network(*, network: SectorNetwork, user: Any, by: Any = None) -> bool:
    """The person leaves (or a coordinator takes them out): their seats at coming meetings go. False: not in it."""
    from coopsip.events import services as events_services

    return events_services.remove_from_circle(circle=network.circle, user=user, by=by or user)


@dataclass(frozen=True)
class FollowUpInput:
    level: str
    office_id: int | None = None
    organised_by: str = ""
    headcount: int | None = None
    sectors: tuple[str, ...] = ()
    signups: int | None = None


def record_event_follow_up(*, event: Any, data: FollowUpInput) -> EventFollowUp:
    """Staff say at what level an event was, for which office or region and sectors, and who organised it."""
    others = [key for key in event_sectors(None, list(data.sectors)) if key != event.sector]
    with transaction.atomic():
        follow_up, _created = EventFollowUp.objects.update_or_create(
            event=event,
            defaults={
                "level": data.level,
                "office_id": data.office_id,
                "organised_by": _single_line(data.organised_by)[:200],
                "headcount": data.headcount,
                "signups": data.signups,
                "sectors": others,
            },
        )
    return follow_up


@dataclass(frozen=True)
class RecordedEventInput:
    title: str
    held_on: date
    place: str
    format: str
    sectors: tuple[str, ...]
    follow_up: FollowUpInput


RECORDED_EVENT_HOURS = (time(19, 0), time(21, 0))  # a recorded event's time of day, which the form does not ask


def record_event_held_by_others(*, data: RecordedEventInput) -> EventFollowUp:
    """Staff record an event a partner or a federal or European network held: an event of the events engine
    (held, so nobody signs up for it here; its place as text) with its follow-up in one step. The first sector is
    the event's own, the others go to the follow-up."""
    from coopsip.editions.phases import BRUSSELS
    from coopsip.events.models import Attendance, Audience, Event, EventKind

    sectors = event_sectors(None, list(data.sectors))
    starts_at = datetime.combine(data.held_on, RECORDED_EVENT_HOURS[0], tzinfo=BRUSSELS)
    with transaction.atomic():
        event = Event.objects.create(
            title=_single_line(data.title)[:200],
            kind=EventKind.NETWORKING,
            format=data.format,
            sector=sectors[0] if sectors else "",
            starts_at=starts_at,
            ends_at=datetime.combine(data.held_on, RECORDED_EVENT_HOURS[1], tzinfo=BRUSSELS),
            signup_deadline=starts_at,
            attendance=Attendance.IN_PERSON,
            address=_single_line(data.place)[:300],
            audience=Audience.MEMBERS,
        )
        return record_event_follow_up(event=event, data=dataclasses.replace(data.follow_up, sectors=tuple(sectors[1:])))
