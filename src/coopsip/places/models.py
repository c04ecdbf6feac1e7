from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    BELGIUM = "BE", _("Belgium")
    FRANCE = "FR", _("France")


class Office(models.Model):
    """An office (kantoor, bureau) of the cooperative. Its name is translated."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    is_demo = models.BooleanField(
        _("demo data"), default=False, help_text=_("Made up for the demo; not a real office.")
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["country", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(latitude__range=(-90, 90)), name="office_latitude_range"),
            models.CheckConstraint(condition=models.Q(longitude__range=(-180, 180)), name="office_longitude_range"),
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A postcode and place in Belgium or France, with the coordinates of its centre.

    Loaded from the open dataset shipped in ``places/data`` (see SOURCES.md).
    """

    country = models.CharField(_("country"), max_length=2, choices=Country)
    postcode = models.CharField(_("postcode"), max_length=10)
    name = models.CharField(_("place"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["country", "postcode", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "postcode", "name"], name="municipality_unique_place"),
        ]
        indexes = [
            models.Index(fields=["country", "postcode"], name="municipality_postcode_idx"),
            # The places near a point (networking search by distance) are found by a box on these two.
            models.Index(fields=["latitude", "longitude"], name="municipality_position_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.postcode} {self.name}"
