"""Figures the team recorded for editions that ran before the platform (2015 to 2021).

Those editions have no registrations, seats or meetings in coopsip: the people took part
on paper and by email. The team types the totals it kept (admin), and the statistics show
them marked "recorded by the team" wherever the platform has no rows of its own. An empty
field means "not known", never 0.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordedFigures(models.Model):
    edition = models.OneToOneField(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="recorded_figures"
    )
    registrations = models.PositiveIntegerField(_("registrations"), null=True, blank=True)
    placed = models.PositiveIntegerField(_("people placed in a group"), null=True, blank=True)
    groups = models.PositiveIntegerField(_("groups"), null=True, blank=True)
    meetings_held = models.PositiveIntegerField(_("meetings held"), null=True, blank=True)
    attendance_rate = models.DecimalField(
        _("attendance rate (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    first_time_participants = models.PositiveIntegerField(
        _("people taking part for the first time"),
        null=True,
        blank=True,
        help_text=_("Counts towards the number of distinct people who ever took part."),
    )
    source = models.CharField(_("where the figures come from"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("recorded figures of an edition")
        verbose_name_plural = _("recorded figures of editions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attendance_rate__isnull=True) | models.Q(attendance_rate__lte=100),
                name="recordedfigures_rate_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self.edition)
