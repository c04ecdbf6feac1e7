"""Forms of the staff pages of group formation: moving a person, choosing two runs to compare."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopsip.editions.models import Edition
from coopsip.formation.models import FormationRun, MemberRole, ProposedGroup, RunStatus
from coopsip.registrations.models import Registration, RegistrationStatus


class MoveForm(forms.Form):
    """Who moves, into which group of the run, in which role. The rules are the service's to check."""

    registration = forms.ModelChoiceField(label=_("person"), queryset=Registration.objects.none())
    group = forms.ModelChoiceField(label=_("group"), queryset=ProposedGroup.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=MemberRole.choices, initial=MemberRole.PARTICIPANT)

    def __init__(self, *args: Any, run: FormationRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        # Only the edition's registrations and the run's groups: an id from elsewhere is a form error.
        fields["registration"].queryset = (
            Registration.objects.filter(edition_id=run.edition_id)
            .exclude(status=RegistrationStatus.WITHDRAWN)
            .select_related("user")
        )
        fields["group"].queryset = run.groups.all()


class CompareForm(forms.Form):
    a = forms.ModelChoiceField(label=_("first run"), queryset=FormationRun.objects.none())
    b = forms.ModelChoiceField(label=_("second run"), queryset=FormationRun.objects.none())

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runs = FormationRun.objects.filter(edition=edition, status=RunStatus.DONE)
        fields: Any = self.fields
        for name in ("a", "b"):
            fields[name].queryset = runs
            fields[name].label_from_instance = lambda run: _("Run %(number)s") % {"number": run.number}
