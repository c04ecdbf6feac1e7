"""Forms of the staff pages that manage editions.

They only read and check input: every form shows, next to its fields, the
messages of the rules the services enforce (``services.*_rule_errors``), so
a staff member sees all that is wrong at once and nothing is saved. The
services save.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.db.models import Q
from django.forms.models import construct_instance
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coopsip.editions import services
from coopsip.editions.models import Edition, FaqItem, Phase, Resource, Theme, ThemeOffice
from coopsip.editions.selectors import theme_label
from coopsip.editions.services import DEFAULT_LANGUAGE, DEFAULT_LANGUAGE_MISSING, LANGUAGES, translated
from coopsip.places.models import Office

LANGUAGE_NAMES = {"nl": _("Dutch"), "fr": _("French"), "en": _("English")}
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
EXTENDS_EDITIONS = 3  # how many earlier editions the "continues the theme" select offers
_ACCEPTED_FILES = ",".join(services.ALLOWED_UPLOAD_EXTENSIONS)


def staff_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """Browser date pickers (times typed in Brussels time) and shorter text areas."""
    if isinstance(db_field, models.DateTimeField):
        kwargs["widget"] = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    elif isinstance(db_field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)
    elif isinstance(db_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 5})
    elif isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


@dataclass(frozen=True)
class Fieldset:
    legend: str | Promise
    names: list[str]
    help: str | Promise = ""


@dataclass(frozen=True)
class BoundFieldset:
    legend: str | Promise
    fields: list[forms.BoundField]
    help: str | Promise


def languages(legend: str | Promise, name: str, help: str | Promise = "") -> Fieldset:
    """A fieldset holding the Dutch, French and English versions of one text."""
    return Fieldset(legend, translated(name), help)


class FieldsetsMixin:
    """Fields shown in fieldsets; per-language fields are labelled by language and marked with ``lang``."""

    fieldsets: ClassVar[list[Fieldset]] = []
    fields: dict[str, forms.Field]

    def label_languages(self) -> None:
        for name, field in self.fields.items():
            base, _sep, code = name.rpartition("_")
            if base and code in LANGUAGES:
                field.label = LANGUAGE_NAMES[code]
                field.help_text = ""  # the fieldset gives it once for the three languages
                field.widget.attrs["lang"] = code
                if code == DEFAULT_LANGUAGE:
                    field.error_messages["required"] = DEFAULT_LANGUAGE_MISSING

    def groups(self) -> list[BoundFieldset]:
        return [
            BoundFieldset(fieldset.legend, [self[name] for name in fieldset.names], fieldset.help)  # type: ignore[index]
            for fieldset in self.fieldsets
        ]


class StaffModelForm(FieldsetsMixin, forms.ModelForm):
    """A form for one edition or one of its parts; ``edition`` is the edition it belongs to."""

    def __init__(self, *args: Any, edition: Edition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.label_languages()
        if "position" in self.fields:
            self.fields["position"].required = False

    def clean_position(self) -> int:
        return self.cleaned_data.get("position") or 0

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The rules read a model instance: check a copy holding the input, not the instance itself.
        candidate = construct_instance(self, copy.copy(self.instance), fields=self._meta.fields)
        for name, message in self.rule_errors(candidate).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class PartForm(StaffModelForm):
    """A form for a part of an edition (a phase, a theme...)."""

    edition: Edition

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any) -> None:
        super().__init__(*args, edition=edition, **kwargs)


class EditionForm(StaffModelForm):
    fieldsets = [
        Fieldset(_("Edition"), ["slug", "sip_number", "starts_on", "ends_on", "in_belgium", "in_france"]),
        languages(_("Title"), "title", _("Dutch is required; the other languages fall back to it.")),
        languages(_("Introduction"), "intro", _("Markdown.")),
        languages(_("Outcomes"), "outcomes", _("What came out of this edition, for the archive. Markdown.")),
        Fieldset(
            _("Who may take part"),
            ["admits_clients", "admits_partners", "admits_employees", "admits_permanent_staff"],
            _("Members may always take part. Tick the other stakeholder types this edition admits."),
        ),
        Fieldset(_("Commitment"), ["meetings_expected", "meeting_hours", "commitment_starts_on", "commitment_ends_on"]),
        Fieldset(
            _("Registration"),
            ["registration_opens_at", "registration_closes_at"],
            _("Brussels time. Give both, or neither."),
        ),
        Fieldset(_("Groups and contact"), ["group_size_min", "group_size_max", "contact_email"]),
        Fieldset(
            _("Format of the groups"),
            services.FORMAT_FIELDS,
            _(
                "Who coordinates each group and which balance rules every group keeps. The registration form asks "
                "a stakeholder type only when groups mix them, and a gender only when a gender balance applies."
            ),
        ),
    ]

    class Meta:
        model = Edition
        fields = services.EDITION_FIELDS
        formfield_callback = staff_formfield

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        # The format's own rules come from the model's validation (``Edition.clean``), shown once.
        format_errors = candidate.format_errors()
        return {
            name: message
            for name, message in services.edition_rule_errors(candidate).items()
            if name not in format_errors
        }


class CopyEditionForm(FieldsetsMixin, forms.Form):
    slug = forms.SlugField(label=_("Short name in the address"), max_length=50, help_text=_("For example 2021-2022."))
    title_nl = forms.CharField(max_length=200)
    title_fr = forms.CharField(max_length=200, required=False)
    title_en = forms.CharField(max_length=200, required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT))

    fieldsets = [
        Fieldset(_("New edition"), ["slug", "starts_on", "ends_on"]),
        languages(_("Title"), "title", _("Dutch is required; the other languages fall back to it.")),
    ]

    def __init__(self, *args: Any, source: Edition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.label_languages()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if {"slug", "title_nl", "starts_on", "ends_on"} <= cleaned.keys():
            errors = services.copy_rule_errors(
                source=self.source,
                slug=cleaned["slug"],
                title_nl=cleaned["title_nl"],
                starts_on=cleaned["starts_on"],
                ends_on=cleaned["ends_on"],
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned

    def titles(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"title_{code}"] for code in LANGUAGES}

    def dates(self) -> tuple[date, date]:
        return self.cleaned_data["starts_on"], self.cleaned_data["ends_on"]


class PhaseForm(PartForm):
    fieldsets = [
        Fieldset(_("Phase"), ["kind", "starts_on", "ends_on", "meetings_min", "meetings_max"]),
        languages(_("Title"), "title", _("Leave empty to use the kind.")),
        languages(_("Description"), "description", _("Markdown.")),
    ]

    class Meta:
        model = Phase
        fields = services.PHASE_FIELDS
        formfield_callback = staff_formfield

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        return services.phase_rule_errors(candidate, edition=self.edition)


class ThemeForm(PartForm):
    fieldsets = [
        Fieldset(_("Theme"), ["slug", "position", "in_belgium", "in_france", "extends", "to_be_extended"]),
        languages(_("Title"), "title", _("Dutch is required; the other languages fall back to it.")),
        languages(_("Summary"), "summary", _("One or two sentences for lists.")),
        languages(_("Challenges and mission"), "challenges", _("Markdown.")),
    ]

    class Meta:
        model = Theme
        fields = services.THEME_FIELDS
        formfield_callback = staff_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extends: forms.ModelChoiceField[Theme] = self.fields["extends"]  # type: ignore[assignment]
        # Any theme is accepted here so that a wrong one gets the rule's clear message;
        # the list offers only the themes of earlier editions.
        extends.queryset = Theme.objects.select_related("edition")
        # Only the themes of the few editions just before this one (a theme continues a recent one),
        # plus the theme it already continues.
        recent_editions = (
            Edition.objects.filter(starts_on__lt=self.edition.starts_on)
            .exclude(pk=self.edition.pk)
            .order_by("-starts_on")
            .values("pk")[:EXTENDS_EDITIONS]
        )
        chosen = Q(pk=self.instance.extends_id) if self.instance.extends_id else Q(pk__in=[])
        earlier = (
            Theme.objects.filter(Q(edition__in=recent_editions) | chosen)
            .select_related("edition")
            .order_by("-edition__starts_on", "position", "pk")
        )
        by_edition: dict[str, list[tuple[int, str]]] = {}
        for theme in earlier:
            by_edition.setdefault(str(theme.edition), []).append((theme.pk, theme_label(theme)))
        extends.widget.choices = [("", _("None")), *by_edition.items()]

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        return services.theme_rule_errors(candidate, edition=self.edition)


class ThemeChoiceField(forms.ModelChoiceField[Theme]):
    """A theme select whose options name the edition, as in "Gender equality (2020-2021)".

    Give it ``selectors.themes_to_choose()`` (recent editions, newest first) as its queryset.
    """

    def label_from_instance(self, obj: Theme) -> str:
        return theme_label(obj)


class ThemedPartForm(PartForm):
    """A part that belongs to a theme: the ``theme`` field lists the themes of the form's edition only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField[Theme] = self.fields["theme"]  # type: ignore[assignment]
        field.queryset = Theme.objects.filter(edition=self.edition)


class ThemeOfficeForm(ThemedPartForm):
    fieldsets = [Fieldset(_("Office of a theme"), ["theme", "office", "first_meeting_at"], _("Brussels time."))]

    class Meta:
        model = ThemeOffice
        fields = services.THEME_OFFICE_FIELDS
        formfield_callback = staff_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office: forms.ModelChoiceField[Office] = self.fields["office"]  # type: ignore[assignment]
        office.queryset = Office.objects.order_by("country", "name")

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        return services.theme_office_rule_errors(candidate, edition=self.edition)


class ResourceForm(ThemedPartForm):
    fieldsets = [
        languages(_("Title"), "title", _("Dutch is required; the other languages fall back to it.")),
        Fieldset(
            _("A link or a file"),
            ["url", "file"],
            _("PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV, at most 20 MB."),
        ),
        Fieldset(_("Where it is shown"), ["theme", "language", "position"]),
    ]

    class Meta:
        model = Resource
        fields = services.RESOURCE_FIELDS
        formfield_callback = staff_formfield
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": _ACCEPTED_FILES})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme: forms.ModelChoiceField[Theme] = self.fields["theme"]  # type: ignore[assignment]
        theme.empty_label = str(_("The whole edition"))
        theme.label = _("Theme")
        # The stored name is generated (services.safe_file_name): any original name will do.
        file: forms.FileField = self.fields["file"]  # type: ignore[assignment]
        file.max_length = None

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the file already stored
            error = services.upload_error(upload)
            if error:
                raise forms.ValidationError(error)
        return upload

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        return services.resource_rule_errors(candidate, edition=self.edition)


class FaqItemForm(PartForm):
    fieldsets = [
        Fieldset(_("Order"), ["position"]),
        languages(_("Question"), "question", _("Dutch is required; the other languages fall back to it.")),
        languages(_("Answer"), "answer", _("Markdown. Dutch is required.")),
    ]

    class Meta:
        model = FaqItem
        fields = services.FAQ_FIELDS
        formfield_callback = staff_formfield

    def rule_errors(self, candidate: Any) -> dict[str, str]:
        return services.faq_rule_errors(candidate, edition=self.edition)
