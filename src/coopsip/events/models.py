"""One engine for every kind of gathering: info sessions, networking moments, group meetings.

An ``Event`` is one gathering at one time. A ``Series`` ("every Monday
morning at the KOP") is a recurrence rule whose occurrences are events of
their own, each with its own sign-ups. A ``Circle`` is a set of people who
meet again and again (a working group of a later issue): its meetings are
open to its members only, its secretary records attendance and minutes.

A ``SignUp`` is one person's place at one event: a person with an account,
a visitor who left a name and an email, or a guest an organiser invited. It
carries a secret token for the person's own link (cancel, video link),
which is how visitors and guests come back without an account.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsip.events.text import refuse_control_characters


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PlaceKind(models.TextChoices):
    OFFICE = "office", _("office of the cooperative")
    SHARED_SPACE = "shared_space", _("shared space")
    PARTNER = "partner", _("partner's space")
    OTHER = "other", _("other address")


class Place(models.Model):
    """A known place where people meet: an office, a shared space such as the KOP, a partner's space."""

    name = models.CharField(_("name"), max_length=120, validators=[refuse_control_characters])
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind)
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=300, validators=[refuse_control_characters])
    country = models.CharField(_("country"), max_length=2, default="BE")
    access_notes = models.CharField(
        _("how to get in"),
        max_length=300,
        blank=True,
        help_text=_("Floor, door code, accessibility."),
        validators=[refuse_control_characters],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    # Where to centre the map on the event's page (an office's own position when empty); the address stays the text.
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PlaceKind.OFFICE) | Q(office__isnull=False), name="place_office_kind_has_office"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def position(self) -> tuple[float, float] | None:
        """(latitude, longitude) for the map, or None when neither the place nor its office has one."""
        if self.latitude is not None and self.longitude is not None:
            return float(self.latitude), float(self.longitude)
        if self.office is not None:
            return float(self.office.latitude), float(self.office.longitude)
        return None


class CircleRole(models.TextChoices):
    MEMBER = "member", pgettext_lazy("circle role", "member")
    MODERATOR = "moderator", _("moderator")
    SECRETARY = "secretary", _("secretary")


class Circle(models.Model):
    """People who meet repeatedly: a working group, a sector network. Its meetings are open to it only."""

    name = models.CharField(_("name"), max_length=200, validators=[refuse_control_characters])
    description = models.TextField(_("description"), blank=True)
    calendar_token = models.CharField(_("calendar link key"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CircleMember(models.Model):
    circle = models.ForeignKey(Circle, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="circle_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=CircleRole, default=CircleRole.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [models.UniqueConstraint(fields=["circle", "user"], name="circlemember_once_per_circle")]

    def __str__(self) -> str:
        return f"{self.user} ({self.circle})"


class EventKind(models.TextChoices):
    INFO_SESSION = "info_session", _("info session")
    NETWORKING = "networking", _("networking moment")
    PARTNER_MEETING = "partner_meeting", _("partner meeting")
    GROUP_MEETING = "group_meeting", _("group meeting")
    OTHER = "other", _("other gathering")


class EventFormat(models.TextChoices):
    PRESENTATION = "presentation", _("presentation and questions")
    AFTERWORK = "afterwork", _("afterwork")
    WORK_BREAKFAST = "work_breakfast", _("work breakfast")
    MEET_AND_CONNECT = "meet_and_connect", _("meet & connect")
    MINIBUS = "minibus", _("minibus trip")
    FOREST_WALK = "forest_walk", _("forest walk")
    PICNIC = "picnic", _("picnic")
    STREET_ART_WALK = "street_art_walk", _("street-art walk")
    WORKSPACE_TOUR = "workspace_tour", _("tour of shared workspaces")
    # Issue 20: "a visit to practical cases is encouraged" (a cooperative, a shared workshop, a member's project).
    PRACTICAL_VISIT = "practical_visit", _("visit to a practical case")
    MEETING = "meeting", _("meeting")
    OTHER = "other", _("other format")


class Sector(models.TextChoices):
    """Professions and sectors of networking moments: stored as a key, shown in the reader's language."""

    GRAPHIC_DESIGN = "graphic_design", _("graphic design")
    MUSIC = "music", _("music")
    PERFORMING_ARTS = "performing_arts", _("performing arts")
    VISUAL_ARTS = "visual_arts", _("visual arts")
    AUDIOVISUAL = "audiovisual", _("film and audiovisual")
    PHOTOGRAPHY = "photography", _("photography")
    WRITING = "writing", _("writing and publishing")
    DIGITAL = "digital", _("IT and digital")
    EDUCATION = "education", _("training and education")
    CRAFTS = "crafts", _("crafts")
    COMMUNICATION = "communication", _("communication")
    OTHER = "other", _("another sector")


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online (video)")
    HYBRID = "hybrid", _("hybrid: in person and by video")


class Audience(models.TextChoices):
    PUBLIC = "public", _("everyone, also without an account")
    MEMBERS = "members", _("members of the cooperative")
    CIRCLE = "circle", _("one group only")


class Series(models.Model):
    """A recurrence rule (RFC 5545 RRULE) whose occurrences are events."""

    title = models.CharField(_("title"), max_length=200)
    rule = models.CharField(_("recurrence rule"), max_length=300, help_text=_("RFC 5545 RRULE, in Brussels time."))
    first_starts_at = models.DateTimeField(_("first occurrence starts"))
    circle = models.ForeignKey(
        Circle, verbose_name=_("group"), on_delete=models.CASCADE, null=True, blank=True, related_name="series"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["first_starts_at"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind, default=EventKind.NETWORKING)
    format = models.CharField(_("format"), max_length=20, choices=EventFormat, default=EventFormat.MEETING)
    sector = models.CharField(_("profession or sector"), max_length=100, blank=True, choices=Sector)
    theme = models.ForeignKey(
        "editions.Theme",
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    edition = models.ForeignKey(
        "editions.Edition",
        verbose_name=_("edition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    language = models.CharField(
        _("spoken language"), max_length=2, blank=True, choices=settings.LANGUAGES, help_text=_("Leave empty if mixed.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    attendance = models.CharField(_("how to attend"), max_length=12, choices=Attendance, default=Attendance.IN_PERSON)
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    address = models.CharField(_("other address"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True, help_text=_("Shown only to people who signed up."))
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: no limit."))
    # The seats held now: seated sign-ups and visitors' kept seats not yet released (see services.counts_a_seat).
    # Changed only by the sign-up services, by one conditional UPDATE, so a sign-up never counts rows under a lock.
    seats_taken = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    signup_deadline = models.DateTimeField(
        _("sign-up deadline"), null=True, blank=True, help_text=_("Empty: until the start.")
    )
    audience = models.CharField(_("who may sign up"), max_length=10, choices=Audience, default=Audience.MEMBERS)
    circle = models.ForeignKey(
        Circle, verbose_name=_("group"), on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Markdown."))
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Markdown."))
    minutes_updated_at = models.DateTimeField(_("minutes updated"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Grows with each change that calendars must show (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_1"),
            models.CheckConstraint(
                condition=~Q(audience=Audience.CIRCLE) | Q(circle__isnull=False), name="event_circle_audience"
            ),
            models.CheckConstraint(
                condition=Q(attendance=Attendance.IN_PERSON) | ~Q(video_url=""), name="event_online_has_link"
            ),
            models.CheckConstraint(
                condition=Q(attendance=Attendance.ONLINE) | Q(place__isnull=False) | ~Q(address=""),
                name="event_in_person_has_place",
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="event_starts_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def where(self) -> str:
        """The place in words (not the video link, which only people who signed up see)."""
        if self.place is not None:
            return f"{self.place.name}, {self.place.address}"
        return self.address


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("sign-up status", "confirmed")
    WAITING = "waiting", pgettext_lazy("sign-up status", "on the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("sign-up status", "cancelled")
    ATTENDED = "attended", pgettext_lazy("sign-up status", "attended")
    ABSENT = "absent", pgettext_lazy("sign-up status", "absent")
    # A visitor without an account, until they open the link we emailed them (``hold_until``: the seat kept).
    PENDING = "pending", pgettext_lazy("sign-up status", "waiting for the email confirmation")


# Statuses that hold a seat.
SEATED = (SignUpStatus.CONFIRMED, SignUpStatus.ATTENDED, SignUpStatus.ABSENT)


class SignUp(models.Model):
    """One person's place at one event (or on its waiting list)."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_signups",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=SignUpStatus)
    # The waiting list is served in this order; it is set again on each new sign-up.
    queued_at = models.DateTimeField(_("in the queue since"))
    token = models.CharField(_("personal link key"), max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_guests_invited",
    )
    guest_role = models.CharField(
        _("guest's role"), max_length=100, blank=True, help_text=_("For example: expert, partner.")
    )
    promoted_at = models.DateTimeField(_("moved from the waiting list"), null=True, blank=True)
    # A visitor's seat is kept this long for them to confirm their email address (empty: no seat was free).
    hold_until = models.DateTimeField(_("seat kept until"), null=True, blank=True)
    # Set when an organiser cancels the sign-up: the status that "undo" gives back (before the start).
    status_before_cancel = models.CharField(
        _("status before an organiser cancelled"), max_length=10, choices=SignUpStatus, blank=True
    )
    reminded_for = models.DateTimeField(_("reminded for the start at"), null=True, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attendance recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(user__isnull=False), name="signup_once_per_person"
            ),
            models.UniqueConstraint(
                "event", Lower("email"), condition=Q(user__isnull=True), name="signup_once_per_email"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="signup_queue_idx")]

    # Not stored: set by services.sign_up, True when that call gave the seat or the place in the queue.
    newly_queued: bool = False

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEATED


class CalendarFeed(models.Model):
    """A person's secret link to the calendar of every event they signed up for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("key"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return str(self.user)


def attachment_path(instance: MinutesAttachment, filename: str) -> str:
    # A generated name: never the uploader's file name on disk.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"events/{instance.event_id}/{secrets.token_hex(12)}.{suffix}"


class MinutesAttachment(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment to the minutes")
        verbose_name_plural = _("attachments to the minutes")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
