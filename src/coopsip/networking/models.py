"""Networking: who offers work and who seeks it.

One ``Listing`` model holds offers and needs (``kind``): they have the same fields, are
searched by one index, matched by one query and shown by one page; a complement is a pair of
kinds, which is a condition on one table rather than a join of two.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_DAYS = 60
MAX_RADIUS_KM = 500


class Term(models.Model):
    """A word of the controlled vocabulary (nl/fr/en names, synonyms, a parent); edited by staff."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    synonyms = models.TextField(
        _("synonyms"), blank=True, help_text=_("Other words for it, in any language, separated by commas.")
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def synonym_list(self) -> list[str]:
        return [word.strip() for word in self.synonyms.split(",") if word.strip()]


class Sector(Term):  # type: ignore[django-manager-missing]  # modeltranslation swaps the manager
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )

    class Meta(Term.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Skill(Term):  # type: ignore[django-manager-missing]
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.SET_NULL, null=True, blank=True, related_name="skills"
    )

    class Meta(Term.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class ProfileField(models.TextChoices):
    """The parts of a profile a member may show or keep to themself."""

    ACTIVITY = "activity", _("activity")
    SECTORS = "sectors", _("sectors and skills")
    SERVICES = "services", _("services")
    LANGUAGES = "languages", _("languages")
    PLACE = "place", _("region or office")
    ABOUT = "about", _("about me")
    LINKS = "links", _("links to my work")
    LOOKING_FOR = "looking_for", _("what I am looking for")


def all_profile_fields() -> list[str]:
    return list(ProfileField.values)


class Profile(models.Model):
    """A member's professional profile: shown only to logged-in members, and only once opted in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="network_profile"
    )
    is_visible = models.BooleanField(
        _("show my profile to other members"),
        default=False,
        help_text=_("Only logged-in members see it; visitors and search engines never do."),
    )
    activity = models.CharField(_("activity"), max_length=200, blank=True)
    sectors: models.ManyToManyField[Sector, Any] = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="profiles"
    )
    skills: models.ManyToManyField[Skill, Any] = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="profiles"
    )
    services = models.TextField(_("services"), blank=True, max_length=2000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "places.Municipality", verbose_name=_("municipality"), on_delete=models.SET_NULL, null=True, blank=True
    )
    radius_km = models.PositiveIntegerField(_("how far I travel (km)"), default=30)
    in_person = models.BooleanField(_("I work in person"), default=True)
    remote = models.BooleanField(_("I work remotely"), default=False)
    about = models.TextField(_("about me"), blank=True, max_length=3000)
    links = models.TextField(_("links to my work"), blank=True, max_length=1000, help_text=_("One address a line."))
    looking_for = models.TextField(_("what I am looking for"), blank=True, max_length=2000)
    shown = models.JSONField(_("shown on my profile"), default=all_profile_fields, blank=True)
    search_stems = models.TextField(editable=False, blank=True, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("professional profile")
        verbose_name_plural = _("professional profiles")
        constraints = [
            models.CheckConstraint(condition=Q(radius_km__lte=MAX_RADIUS_KM), name="profile_radius_range"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def shows(self, part: str) -> bool:
        return part in (self.shown or [])

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip().startswith(("https://", "http://"))]


class Kind(models.TextChoices):
    OFFER = "offer", pgettext_lazy("networking", "offer")
    NEED = "need", pgettext_lazy("networking", "need")


class Category(models.TextChoices):
    WORK = "work", _("work, a service or a collaborator")
    EQUIPMENT = "equipment", _("equipment or material")
    SPACE = "space", _("a space")
    LOGISTICS = "logistics", _("logistics")
    ADMINISTRATION = "administration", _("administrative help")
    PARTNER = "partner", _("a partner for a project or a call")


class Pay(models.TextChoices):
    PAID = "paid", _("paid")
    EXCHANGE = "exchange", _("exchange")
    VOLUNTEER = "volunteer", _("volunteer")


class ListingStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn by its author")
    HIDDEN = "hidden", _("hidden by the team")


def default_expiry() -> datetime:
    return timezone.now() + timedelta(days=DEFAULT_DAYS)


class Listing(models.Model):
    """An offer or a need. Shown while published and before ``expires_at`` (expired is derived, never stored)."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="listings"
    )
    kind = models.CharField(_("offer or need"), max_length=10, choices=Kind)
    category = models.CharField(_("what"), max_length=20, choices=Category, default=Category.WORK)
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(_("text"), max_length=5000, blank=True)
    language = models.CharField(_("language of the text"), max_length=2, choices=Language)
    sectors: models.ManyToManyField[Sector, Any] = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="listings"
    )
    skills: models.ManyToManyField[Skill, Any] = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="listings"
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True, help_text=_("Free words, separated by commas."))
    municipality = models.ForeignKey(
        "places.Municipality", verbose_name=_("place"), on_delete=models.SET_NULL, null=True, blank=True
    )
    radius_km = models.PositiveIntegerField(_("within (km)"), default=25)
    remote = models.BooleanField(_("remote is possible"), default=False)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    pay = models.CharField(_("terms"), max_length=10, choices=Pay, default=Pay.PAID)
    status = models.CharField(_("status"), max_length=10, choices=ListingStatus, default=ListingStatus.PUBLISHED)
    hidden_reason = models.TextField(_("why it was hidden"), blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    expires_at = models.DateTimeField(_("shown until"), default=default_expiry)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Search: stems computed in Python (every database) and, on PostgreSQL, a tsvector in the text's language.
    search_stems = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "kind", "expires_at"], name="listing_shown_idx"),
            models.Index(fields=["author", "-created_at"], name="listing_author_idx"),
            # The search's window (the newest matches first) walks this index and stops early.
            models.Index(fields=["-created_at", "-id"], name="listing_newest_idx"),
            # A search near a place keeps the listings within reach or remote: with the place's listings (by the
            # municipality's index) and the remote ones (by this one), PostgreSQL reads only the matches of both.
            models.Index(fields=["-created_at", "-id"], condition=Q(remote=True), name="listing_remote_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(radius_km__lte=MAX_RADIUS_KM), name="listing_radius_range"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="listing_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_shown(self, now: datetime | None = None) -> bool:
        return self.status == ListingStatus.PUBLISHED and not self.is_expired(now)

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]


class ContactThread(models.Model):
    """A member writes to a listing's author; the platform relays. Addresses show once the author answered."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("offer or need"), on_delete=models.CASCADE, related_name="threads"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.CASCADE, related_name="contact_threads"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered by the author"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(fields=["listing", "sender"], name="contact_once_per_listing")]

    def __str__(self) -> str:
        return f"{self.sender} → {self.listing}"


class ContactMessage(models.Model):
    thread = models.ForeignKey(
        ContactThread, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="contact_messages"
    )
    body = models.TextField(_("message"), max_length=3000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:50]


class Report(models.Model):
    """A member tells the team that a listing or a message is not right."""

    listing = models.ForeignKey(
        Listing, verbose_name=_("offer or need"), on_delete=models.CASCADE, related_name="reports"
    )
    message = models.ForeignKey(
        ContactMessage,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="network_reports",
    )
    reason = models.TextField(_("what is wrong"), max_length=2000)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.listing} ({self.created_at:%Y-%m-%d})"


class SavedSearch(models.Model):
    """A search a member keeps; new results come in the networking digest (weekly by default)."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        DAILY = "daily", _("daily")
        NONE = "none", _("never")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("words"), max_length=200, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    frequency = models.CharField(_("email me"), max_length=10, choices=Frequency, default=Frequency.WEEKLY)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A member puts a project forward: what it is, what it needs, what it offers; others join its team."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("project owner"), on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("what it is"), max_length=5000)
    needs = models.TextField(_("what it needs"), max_length=2000, blank=True)
    offers = models.TextField(_("what it offers"), max_length=2000, blank=True)
    sectors: models.ManyToManyField[Sector, Any] = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="projects"
    )
    is_open = models.BooleanField(_("open to new team members"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ProjectMember(models.Model):
    """A member of a project's team (the owner is not listed here)."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="project_teams"
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_member_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.project})"


class ProjectRecommendation(models.Model):
    """A member points the owner to another member or a partner who could help (read by the owner)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="recommendations"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        on_delete=models.CASCADE,
        related_name="project_recommendations",
    )
    text = models.TextField(_("who and why"), max_length=1000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation to a project")
        verbose_name_plural = _("recommendations to projects")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:50]


class PartnerMeeting(models.Model):
    """A partner meeting of a project: an event of the events engine (kind "partner meeting")."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="meetings")
    event = models.OneToOneField(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="partner_meeting"
    )

    class Meta:
        verbose_name = _("partner meeting")
        verbose_name_plural = _("partner meetings")

    def __str__(self) -> str:
        return str(self.event)


class SectorNetwork(models.Model):  # type: ignore[django-manager-missing]  # modeltranslation swaps the manager
    """A network of the members of one sector or profession: a ``Circle`` of the events engine, marked as such.

    Its members are the circle's members, its coordinators the circle's moderators and secretary, its
    meetings the circle's events and series, its vademecum the documents of the circle's group space.
    """

    circle = models.OneToOneField(
        "events.Circle", verbose_name=_("group"), on_delete=models.CASCADE, related_name="sector_network"
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="sector_networks"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what the network does"), blank=True, max_length=3000, help_text=_("Markdown."))
    how_to_join = models.TextField(
        _("how to join"), blank=True, max_length=2000, help_text=_("Who may join and what is expected. Markdown.")
    )
    is_active = models.BooleanField(_("open"), default=True, help_text=_("A closed network is no longer listed."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("sector network")
        verbose_name_plural = _("sector networks")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class JoinRequest(models.Model):
    """A member asks to join a sector network; a coordinator accepts (they join the circle) or declines."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    network = models.ForeignKey(
        SectorNetwork, verbose_name=_("sector network"), on_delete=models.CASCADE, related_name="requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="network_requests"
    )
    message = models.TextField(_("a word to the coordinators"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.WAITING)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "user"], condition=Q(status="waiting"), name="joinrequest_one_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.network}"


class Level(models.TextChoices):
    LOCAL = "local", _("local")
    REGIONAL = "regional", _("regional")
    FEDERAL = "federal", _("federal")
    EUROPEAN = "european", _("European")


class EventFollowUp(models.Model):
    """What the follow-up of networking events needs and ``Event`` does not hold: its level, office or region,
    and who organised it (a partner's or a federal or European event that staff record)."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("event"), on_delete=models.CASCADE, related_name="follow_up"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level, default=Level.LOCAL)
    office = models.ForeignKey(
        "places.Office",
        verbose_name=_("office or region"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Empty: the office of the event's place."),
    )
    organised_by = models.CharField(
        _("organised by"), max_length=200, blank=True, help_text=_("Empty: the cooperative.")
    )
    sectors = models.JSONField(
        _("other sectors"),
        default=list,
        blank=True,
        help_text=_("Sectors the event was also for, beside the event's own sector (keys of the events' sectors)."),
    )
    headcount = models.PositiveIntegerField(
        _("people present (counted)"),
        null=True,
        blank=True,
        help_text=_("For an event whose sign-ups are not kept here: how many people came."),
    )
    signups = models.PositiveIntegerField(
        _("sign-ups (counted)"),
        null=True,
        blank=True,
        help_text=_("For an event whose sign-ups are not kept here: how many people had signed up."),
    )

    class Meta:
        verbose_name = _("follow-up of a networking event")
        verbose_name_plural = _("follow-up of networking events")

    def __str__(self) -> str:
        return f"{self.event} ({self.get_level_display()})"

    def all_sectors(self) -> list[str]:
        """The event's own sector first, then the other sectors, each once."""
        return event_sectors(self.event.sector, self.sectors)


def event_sectors(own: str | None, others: Any) -> list[str]:
    """An event's sectors: its own (if any) then the follow-up's others, each once, unknown keys left out."""
    from coopsip.events.models import Sector as EventSector

    known = set(EventSector.values)
    found: list[str] = []
    for key in [own or "", *(others if isinstance(others, list) else [])]:
        if isinstance(key, str) and key in known and key not in found:
            found.append(key)
    return found
