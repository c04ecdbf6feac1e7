"""Editions (jaargangen) of Smart in Progress, their phases, themes, resources and public dates.

An edition's status is not stored: it follows from ``published_at`` and its
dates (see ``editions.phases``), so it can never disagree with them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopsip.editions.phases import edition_status
from coopsip.places.models import Country, Office


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ANNOUNCED = "announced", _("announced")
    REGISTRATION_OPEN = "registration_open", _("registration open")
    RUNNING = "running", _("running")
    CLOSED = "closed", _("closed")


class Edition(models.Model):
    slug = models.SlugField(_("short name in the address"), unique=True, help_text=_("For example 2020-2021."))
    sip_number = models.PositiveSmallIntegerField(_("SIP number"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    outcomes = models.TextField(
        _("outcomes"), blank=True, help_text=_("What came out of this edition, for the archive. Markdown.")
    )
    in_belgium = models.BooleanField(_("runs in Belgium"), default=True)
    in_france = models.BooleanField(_("runs in France"), default=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    # Who may take part: members always; other stakeholder types when ticked (2017-2018).
    admits_clients = models.BooleanField(_("clients may take part"), default=False)
    admits_partners = models.BooleanField(_("partners may take part"), default=False)
    admits_employees = models.BooleanField(_("employees may take part"), default=False)
    admits_permanent_staff = models.BooleanField(_("permanent staff may take part"), default=False)
    # The commitment asked of a participant.
    meetings_expected = models.PositiveSmallIntegerField(
        _("number of meetings"), default=5, validators=[MinValueValidator(1)]
    )
    meeting_hours = models.DecimalField(
        _("hours per meeting"),
        max_digits=3,
        decimal_places=1,
        default=3,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    commitment_starts_on = models.DateField(_("meetings from"), null=True, blank=True)
    commitment_ends_on = models.DateField(_("meetings until"), null=True, blank=True)
    group_size_min = models.PositiveSmallIntegerField(_("minimum group size"), default=6)
    group_size_max = models.PositiveSmallIntegerField(_("maximum group size"), default=12)
    # The edition's format: who coordinates a group and which balance rules its groups keep.
    # Read by the registration form (what to ask) and by group formation (formation.inputs).
    requires_moderator = models.BooleanField(
        _("each group has a moderator"), default=True, help_text=_("The moderator (or animator) leads the meetings.")
    )
    requires_secretary = models.BooleanField(
        _("each group has a secretary"), default=True, help_text=_("The secretary keeps the notes of the meetings.")
    )
    requires_board_member = models.BooleanField(
        _("each group has a board member"),
        default=False,
        help_text=_("A member of the board coordinates the group with the moderator (2017-2018)."),
    )
    min_stakeholder_types = models.PositiveSmallIntegerField(
        _("stakeholder types per group, at least"),
        null=True,
        blank=True,
        help_text=_("Leave empty when groups need not mix stakeholder types."),
    )
    max_stakeholder_share = models.PositiveSmallIntegerField(
        _("share of one stakeholder type, at most (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        # xgettext:no-python-format
        help_text=_("For example 40: no more than 40% of a group are of one stakeholder type. Empty: no limit."),
    )
    max_gender_share = models.PositiveSmallIntegerField(
        _("share of one gender, at most (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Among the people who answered. Empty: no gender balance, and the form does not ask."),
    )
    one_theme_per_office = models.BooleanField(
        _("one theme per office"), default=False, help_text=_("Each office runs one theme (2019-2020).")
    )
    balance_rules_soft = models.BooleanField(
        _("balance rules are wishes"),
        default=False,
        help_text=_(
            "When ticked, the balance rules are followed as far as people allow and nobody is left out for them; "
            "otherwise every group keeps them."
        ),
    )
    contact_email = models.EmailField(_("contact email address"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="edition_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="edition_registration_closes_after_opening",
            ),
            models.CheckConstraint(condition=Q(in_belgium=True) | Q(in_france=True), name="edition_has_a_country"),
            models.CheckConstraint(
                condition=Q(meetings_expected__gte=1) & Q(meeting_hours__gt=0), name="edition_commitment_positive"
            ),
            models.CheckConstraint(
                condition=Q(group_size_min__gte=2) & Q(group_size_max__gte=F("group_size_min")),
                name="edition_group_sizes",
            ),
            models.CheckConstraint(
                condition=Q(commitment_starts_on__isnull=True)
                | Q(commitment_ends_on__isnull=True)
                | Q(commitment_ends_on__gte=F("commitment_starts_on")),
                name="edition_commitment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        # The fields' own validators already say when a share is out of 1-100.
        errors = self.format_errors(check_ranges=False)
        if errors:
            raise ValidationError(errors)

    def format_errors(self, *, check_ranges: bool = True) -> dict[str, str]:
        """What is wrong with the edition's format as it stands in memory (field name → message)."""
        errors: dict[str, str] = {}
        available = 1 + len(self.admitted_stakeholder_types)  # members always take part
        for name in ("max_stakeholder_share", "max_gender_share"):
            value = getattr(self, name)
            if check_ranges and value is not None and not 1 <= value <= 100:
                errors[name] = str(_("A share is a percentage between 1 and 100."))
        if self.min_stakeholder_types is not None:
            if self.min_stakeholder_types < 2:
                errors["min_stakeholder_types"] = str(
                    _("Mixing means at least two stakeholder types; leave empty for no mixing rule.")
                )
            elif self.min_stakeholder_types > available:
                errors["min_stakeholder_types"] = str(
                    _(
                        "Groups cannot mix %(wanted)s stakeholder types: this edition admits %(available)s "
                        "(members and the types ticked above)."
                    )
                ) % {"wanted": self.min_stakeholder_types, "available": available}
        gender_share = self.max_gender_share
        if gender_share is not None and 1 <= gender_share < 50:
            # With two genders or more in a group, one of them is at least half of those who answered.
            errors["max_gender_share"] = str(
                _("No group can keep each gender at %(share)s%% or less: give 50%% or more.")
            ) % {"share": gender_share}
        if not (self.requires_moderator or self.requires_secretary or self.requires_board_member):
            errors["requires_moderator"] = str(
                _("Someone coordinates each group: tick the moderator, the secretary or the board member.")
            )
        share = self.max_stakeholder_share
        if share is not None and 1 <= share <= 100 and share * available < 100:
            errors["max_stakeholder_share"] = str(
                _("With %(available)s stakeholder types, no group can keep every type at %(share)s%% or less.")
            ) % {"available": available, "share": share}
        return errors

    @property
    def has_balance_rules(self) -> bool:
        return (
            self.min_stakeholder_types is not None
            or self.max_stakeholder_share is not None
            or self.max_gender_share is not None
        )

    @property
    def mixes_stakeholder_types(self) -> bool:
        """Whether registration asks for a stakeholder type: groups mix them, and not only members join."""
        return bool(self.admitted_stakeholder_types) and (
            self.min_stakeholder_types is not None or self.max_stakeholder_share is not None
        )

    @property
    def countries(self) -> list[str]:
        return [code for code, on in ((Country.BELGIUM, self.in_belgium), (Country.FRANCE, self.in_france)) if on]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def admitted_stakeholder_types(self) -> list[str]:
        flags = {
            "client": self.admits_clients,
            "partner": self.admits_partners,
            "employee": self.admits_employees,
            "permanent_staff": self.admits_permanent_staff,
        }
        return [name for name, on in flags.items() if on]

    def status_at(self, moment: datetime) -> EditionStatus:
        return EditionStatus(edition_status(self, moment))

    @property
    def status(self) -> EditionStatus:
        return self.status_at(timezone.now())


class CurrentEdition(models.Model):
    """The edition the site presents in a country: one per country, by construction."""

    country = models.CharField(_("country"), max_length=2, choices=Country, unique=True)
    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("current edition")
        verbose_name_plural = _("current editions")

    def __str__(self) -> str:
        return f"{self.country}: {self.edition}"


class PhaseKind(models.TextChoices):
    PREPARATION = "preparation", _("Preparation")
    REGISTRATION = "registration", _("Registration")
    GROUP_FORMING = "group_forming", _("Forming the groups")
    STUDY = "study", _("Studying the theme")
    IDEAS = "ideas", _("Ideas for recommendations")
    EXPERTS = "experts", _("Expert contributions")
    RECOMMENDATIONS = "recommendations", _("Formulating recommendations")
    TEST_PROJECTS = "test_projects", _("Test projects")
    GROUP_WORK = "group_work", _("Group work")
    BOARD = "board", _("Board decision")
    OTHER = "other", _("Other")


class Phase(models.Model):
    """A period of an edition. Phases may overlap (test projects ran beside the others in 2020-2021).

    Dates are calendar days in Brussels; a phase runs from the start of
    ``starts_on`` to the end of ``ends_on``.
    """

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("kind"), max_length=20, choices=PhaseKind)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Leave empty to use the kind."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    meetings_min = models.PositiveSmallIntegerField(_("minimum number of meetings"), null=True, blank=True)
    meetings_max = models.PositiveSmallIntegerField(_("maximum number of meetings"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "ends_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="phase_ends_after_start"),
            models.CheckConstraint(
                condition=Q(meetings_min__isnull=True)
                | Q(meetings_max__isnull=True)
                | Q(meetings_max__gte=F("meetings_min")),
                name="phase_meetings_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(PhaseKind(self.kind).label)

    def is_current_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Theme(models.Model):
    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="themes")
    slug = models.SlugField(_("short name in the address"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for lists."))
    challenges = models.TextField(_("challenges and mission"), blank=True, help_text=_("Markdown."))
    in_belgium = models.BooleanField(_("runs in Belgium"), default=True)
    in_france = models.BooleanField(_("runs in France"), default=False)
    extends = models.ForeignKey(
        "self",
        verbose_name=_("continues the theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_by",
        help_text=_("The theme of an earlier edition that this one continues."),
    )
    to_be_extended = models.BooleanField(
        _("extend into the next edition"),
        default=False,
        help_text=_("Copying this edition into a new one carries this theme over."),
    )
    offices: models.ManyToManyField[Office, ThemeOffice] = models.ManyToManyField(
        "places.Office", through="ThemeOffice", verbose_name=_("offices"), related_name="themes", blank=True
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="theme_slug_unique_in_edition"),
            models.CheckConstraint(condition=Q(in_belgium=True) | Q(in_france=True), name="theme_has_a_country"),
            models.CheckConstraint(condition=~Q(extends=F("pk")), name="theme_does_not_extend_itself"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def countries(self) -> list[str]:
        return [code for code, on in ((Country.BELGIUM, self.in_belgium), (Country.FRANCE, self.in_france)) if on]


class ThemeOffice(models.Model):
    """An office that runs a group on a theme (2019-2020: one theme per city), with its first meeting if known."""

    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="theme_offices")
    office = models.ForeignKey("places.Office", verbose_name=_("office"), on_delete=models.PROTECT)
    first_meeting_at = models.DateTimeField(_("first meeting"), null=True, blank=True)

    class Meta:
        verbose_name = _("office of a theme")
        verbose_name_plural = _("offices of a theme")
        ordering = ["office__name"]
        constraints = [models.UniqueConstraint(fields=["theme", "office"], name="themeoffice_unique")]

    def __str__(self) -> str:
        return f"{self.theme} – {self.office}"


def resource_upload_path(instance: Resource, filename: str) -> str:
    return f"resources/{timezone.now():%Y/%m}/{filename}"


class Resource(models.Model):
    """A reference file or a link, attached to an edition or to one of its themes."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="resources", null=True, blank=True
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="resources", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_path, blank=True)
    language = models.CharField(_("language of the resource"), max_length=5, choices=settings.LANGUAGES, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(edition__isnull=False) & Q(theme__isnull=True))
                | (Q(edition__isnull=True) & Q(theme__isnull=False)),
                name="resource_belongs_to_edition_or_theme",
            ),
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="resource_is_a_file_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FaqItem(models.Model):
    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="faq")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), help_text=_("Markdown."))

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question
