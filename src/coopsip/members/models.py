from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopsip.core.search import person_search_text


class MembershipStatus(models.TextChoices):
    MEMBER = "member", _("member (shareholder)")
    USER = "user", _("non-member user")


class RegisterEntry(models.Model):
    """One person of the cooperative, as the membership system knows them.

    Entries come from CSV imports by staff; a person links their account to
    their entry by proving they are that person (member number plus email or
    date of birth).
    """

    member_number = models.CharField(_("member number"), max_length=30, unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email address"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    status = models.CharField(_("membership status"), max_length=10, choices=MembershipStatus)
    # The 2017 edition mixed stakeholder types in its groups; a person can be several.
    is_client = models.BooleanField(_("client"), default=False)
    is_partner = models.BooleanField(_("partner"), default=False)
    is_employee = models.BooleanField(_("employee"), default=False)
    is_permanent_staff = models.BooleanField(_("permanent staff"), default=False)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_entry",
    )
    verified_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The names and email as the search reads them (core.search.person_search_text), written by the database with
    # the row and indexed by trigrams on PostgreSQL (migration 0005): a search compares, it does not compute.
    search_text = models.GeneratedField(
        expression=person_search_text("first_name", "last_name", "email"),
        output_field=models.TextField(),
        db_persist=True,
        verbose_name=_("search text"),
    )

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        ordering = ["last_name", "first_name", "member_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(verified_at__isnull=False),
                name="registerentry_linked_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["email"], name="registerentry_email_idx"),
            # The register's first pages and a search matching many entries walk this index in order
            # (members.selectors.register_page).
            models.Index(fields=["last_name", "first_name", "member_number"], name="registerentry_name_order"),
        ]

    def __str__(self) -> str:
        return f"{self.member_number} {self.first_name} {self.last_name}"

    @property
    def is_member(self) -> bool:
        return self.status == MembershipStatus.MEMBER

    @property
    def stakeholder_types(self) -> list[str]:
        flags = {
            "client": self.is_client,
            "partner": self.is_partner,
            "employee": self.is_employee,
            "permanent_staff": self.is_permanent_staff,
        }
        return [name for name, on in flags.items() if on]


class RegisterImport(models.Model):
    """A record of one CSV import, with its row-by-row report."""

    file_name = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    applied = models.BooleanField(_("applied"), default=False)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    updated_count = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rows rejected"), default=0)
    report = models.JSONField(_("report"), default=list)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"
