from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    NON_BINARY = "non_binary", _("non-binary")
    OTHER = "other", _("I describe myself otherwise")


class StakeholderType(models.TextChoices):
    # "member" is not offered: membership comes from the register, not from a profile.
    CLIENT = "client", _("client")
    PARTNER = "partner", _("partner")
    EMPLOYEE = "employee", _("employee")
    PERMANENT_STAFF = "permanent_staff", _("permanent staff")


# Languages a member may say they speak: the cooperative's three, and the
# ones most heard among its members.
SPOKEN_LANGUAGES = [
    ("nl", _("Dutch")),
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("ar", _("Arabic")),
    ("tr", _("Turkish")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        # Lower case, as allauth stores addresses: one person, one spelling.
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Membership comes from the member register."""

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("home municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    languages_spoken = models.JSONField(_("languages spoken"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, blank=True)
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=20, choices=StakeholderType, blank=True)
    # A board member who volunteers to sit in a working group (the 2017-2018 format: one per group). Only a
    # board member sets it (accounts.volunteer_as_board_member); each registration starts from it and may
    # decline it for that edition.
    volunteers_as_board_member = models.BooleanField(_("volunteers as board member"), default=False)
    is_staff = models.BooleanField(
        _("Django admin access"), default=False, help_text=_("May log in to the technical admin site.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("account created"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email
