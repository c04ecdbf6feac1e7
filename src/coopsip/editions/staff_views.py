"""Staff pages to manage editions and their parts (phases, themes and their offices, resources,
public sessions, FAQ), publish them, preview them and read their history.

Every view reaches the edition through ``_edition_for`` (permission first, then
the object) and a part through its edition, so an id from another edition is a 404.
The parts share three views driven by the ``PARTS`` table below.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coopsip.core.access import require
from coopsip.core.audit import related_names, value_in_words
from coopsip.core.http import AuthenticatedRequest
from coopsip.core.models import ChangeRecord
from coopsip.editions import services
from coopsip.editions.models import (
    CurrentEdition,
    Edition,
    EditionStatus,
    FaqItem,
    Phase,
    Resource,
    Theme,
    ThemeOffice,
)
from coopsip.editions.services import DEFAULT_LANGUAGE, LANGUAGES, EditionRuleBroken
from coopsip.editions.staff_forms import (
    LANGUAGE_NAMES,
    CopyEditionForm,
    EditionForm,
    FaqItemForm,
    PartForm,
    PhaseForm,
    ResourceForm,
    ThemeForm,
    ThemeOfficeForm,
)
from coopsip.editions.validation import stale_years
from coopsip.events.models import EventKind
from coopsip.places.models import Country

T = TypeVar("T")
HISTORY_LIMIT = 500


@dataclass(frozen=True)
class PartKind:
    """How the staff pages add, change and delete one kind of part of an edition."""

    form: type[PartForm]
    scope: Callable[[Edition], QuerySet[Any]]
    create: Callable[..., models.Model]
    update: Callable[[Any, Any, Mapping[str, Any]], models.Model]
    delete: Callable[[Any, Any], None]
    add_title: Promise
    edit_title: Promise
    delete_title: Promise


PARTS: dict[str, PartKind] = {
    "phases": PartKind(
        form=PhaseForm,
        scope=lambda edition: Phase.objects.filter(edition=edition),
        create=services.create_phase,
        update=lambda actor, part, values: services.update_phase(actor=actor, phase=part, values=values),
        delete=lambda actor, part: services.delete_phase(actor=actor, phase=part),
        add_title=gettext_lazy("Add a phase"),
        edit_title=gettext_lazy("Edit the phase"),
        delete_title=gettext_lazy("Delete the phase"),
    ),
    "themes": PartKind(
        form=ThemeForm,
        scope=lambda edition: Theme.objects.filter(edition=edition),
        create=services.create_theme,
        update=lambda actor, part, values: services.update_theme(actor=actor, theme=part, values=values),
        delete=lambda actor, part: services.delete_theme(actor=actor, theme=part),
        add_title=gettext_lazy("Add a theme"),
        edit_title=gettext_lazy("Edit the theme"),
        delete_title=gettext_lazy("Delete the theme"),
    ),
    "offices": PartKind(
        form=ThemeOfficeForm,
        scope=lambda edition: ThemeOffice.objects.filter(theme__edition=edition).select_related("theme", "office"),
        create=services.create_theme_office,
        update=lambda actor, part, values: services.update_theme_office(actor=actor, theme_office=part, values=values),
        delete=lambda actor, part: services.delete_theme_office(actor=actor, theme_office=part),
        add_title=gettext_lazy("Add an office to a theme"),
        edit_title=gettext_lazy("Edit the office of a theme"),
        delete_title=gettext_lazy("Remove the office from the theme"),
    ),
    "resources": PartKind(
        form=ResourceForm,
        scope=lambda edition: Resource.objects.filter(Q(edition=edition) | Q(theme__edition=edition)),
        create=services.create_resource,
        update=lambda actor, part, values: services.update_resource(actor=actor, resource=part, values=values),
        delete=lambda actor, part: services.delete_resource(actor=actor, resource=part),
        add_title=gettext_lazy("Add a resource"),
        edit_title=gettext_lazy("Edit the resource"),
        delete_title=gettext_lazy("Delete the resource"),
    ),
    "faq": PartKind(
        form=FaqItemForm,
        scope=lambda edition: FaqItem.objects.filter(edition=edition),
        create=services.create_faq_item,
        update=lambda actor, part, values: services.update_faq_item(actor=actor, item=part, values=values),
        delete=lambda actor, part: services.delete_faq_item(actor=actor, item=part),
        add_title=gettext_lazy("Add a question"),
        edit_title=gettext_lazy("Edit the question"),
        delete_title=gettext_lazy("Delete the question"),
    ),
}


def _edition_for(request: AuthenticatedRequest, pk: int) -> Edition:
    require(request.user, "editions.manage")
    return get_object_or_404(Edition, pk=pk)


def _part_kind(kind: str) -> PartKind:
    try:
        return PARTS[kind]
    except KeyError:
        raise Http404 from None


def _attempt(form: Any, action: Callable[[], T]) -> T | None:
    """Run the service; a rule it refuses becomes an error next to the field, and nothing is saved."""
    try:
        return action()
    except EditionRuleBroken as broken:
        for name, message in broken.errors.items():
            form.add_error(name if name in form.fields else None, message)
        return None


def _form_page(request: AuthenticatedRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "editions/staff/form.html", {"form": form, **context}, status=400 if form.errors else 200)


def _dashboard_url(edition: Edition, anchor: str = "") -> str:
    url = reverse("editions_staff:dashboard", kwargs={"pk": edition.pk})
    return f"{url}#{anchor}" if anchor else url


def _preview_url(edition: Edition) -> str:
    try:
        return reverse("editions:detail", kwargs={"slug": edition.slug})
    except NoReverseMatch:  # the public pages are not there yet
        return f"/{get_language()}/editions/{edition.slug}/"


# --- Editions -----------------------------------------------------------------


@login_required
@require_safe
def edition_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "editions.manage")
    editions = list(Edition.objects.annotate(theme_count=Count("themes")).order_by("-starts_on", "-pk"))
    current: dict[int, list[str]] = defaultdict(list)
    for row in CurrentEdition.objects.order_by("country"):
        current[row.edition_id].append(row.get_country_display())
    rows = [(edition, current.get(edition.pk, [])) for edition in editions]
    return render(request, "editions/staff/list.html", {"rows": rows, "latest": editions[0] if editions else None})


@login_required
@require_http_methods(["GET", "POST"])
def edition_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "editions.manage")
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        edition = _attempt(form, lambda: services.create_edition(actor=request.user, values=form.cleaned_data))
        if edition is not None:
            messages.success(request, _("The edition is created, as a draft."))
            return redirect(_dashboard_url(edition))
    return _form_page(request, form, title=_("New edition"), submit=_("Create the edition"))


@login_required
@require_http_methods(["GET", "POST"])
def edition_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    form = EditionForm(request.POST or None, instance=edition, edition=edition)
    if request.method == "POST" and form.is_valid():
        updated = _attempt(
            form, lambda: services.update_edition(actor=request.user, edition=edition, values=form.cleaned_data)
        )
        if updated is not None:
            messages.success(request, _("The settings are saved."))
            return redirect(_dashboard_url(edition))
    return _form_page(request, form, edition=edition, title=_("Settings of the edition"), submit=_("Save"))


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


def _next_slug(slug: str) -> str:
    first, _sep, second = slug.partition("-")
    if first.isdigit() and second.isdigit():
        return f"{int(first) + 1}-{int(second) + 1}"
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def edition_copy(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    source = _edition_for(request, pk)
    initial = {
        "slug": _next_slug(source.slug),
        "starts_on": _next_year(source.starts_on),
        "ends_on": _next_year(source.ends_on),
    }
    form = CopyEditionForm(request.POST or None, source=source, initial=initial)
    if request.method == "POST" and form.is_valid():
        starts_on, ends_on = form.dates()
        edition = _attempt(
            form,
            lambda: services.copy_edition(
                actor=request.user,
                source=source,
                slug=form.cleaned_data["slug"],
                titles=form.titles(),
                starts_on=starts_on,
                ends_on=ends_on,
            ),
        )
        if edition is not None:
            messages.success(request, _("The new edition is created, as a draft. Check its phases and themes."))
            return redirect(_dashboard_url(edition))
    return _form_page(
        request,
        form,
        edition=source,
        title=_("Copy into a new edition"),
        submit=_("Create the new edition"),
        carried_themes=source.themes.filter(to_be_extended=True),
        copied_phases=source.phases.count(),
        copied_faq=source.faq.count(),
        template_note="copy",
    )


def _missing_languages(obj: models.Model, *names: str) -> list[str]:
    """The languages in which a text written in Dutch is still missing."""
    return [
        str(LANGUAGE_NAMES[code])
        for code in LANGUAGES
        if any(getattr(obj, f"{name}_{DEFAULT_LANGUAGE}") and not getattr(obj, f"{name}_{code}") for name in names)
    ]


@login_required
@require_safe
def dashboard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    themes = (
        Theme.objects.filter(edition=edition)
        .select_related("extends__edition")
        .prefetch_related(Prefetch("theme_offices", ThemeOffice.objects.select_related("office")), "resources")
    )
    current_rows = list(CurrentEdition.objects.filter(edition=edition))
    context = {
        "edition": edition,
        "edition_missing": _missing_languages(edition, "title", "intro", "outcomes"),
        "phases": edition.phases.all(),
        "themes": [(theme, _missing_languages(theme, "title", "summary", "challenges")) for theme in themes],
        "resources": edition.resources.all(),
        # The info sessions are events of the events engine (with their sign-up): staff edit them there.
        "sessions": edition.events.filter(kind=EventKind.INFO_SESSION).order_by("starts_at"),
        "faq": [(item, _missing_languages(item, "question", "answer")) for item in edition.faq.all()],
        "current_in": [row.get_country_display() for row in current_rows],
        "current_elsewhere": [
            row
            for row in CurrentEdition.objects.filter(country__in=edition.countries).select_related("edition")
            if row.edition_id != edition.pk
        ],
        "not_current_in": [
            str(Country(code).label) for code in edition.countries if code not in {row.country for row in current_rows}
        ],
        "stale_years": stale_year_notes(edition),
        "preview_url": _preview_url(edition),
    }
    return render(request, "editions/staff/dashboard.html", context)


def stale_year_notes(edition: Edition) -> list[str]:
    """Warnings for an introduction that still names years before the edition (often copied from last year)."""
    return [
        _(
            "The introduction in %(language)s names %(years)s, before this edition starts: "
            "check it is not left over from the edition it was copied from."
        )
        % {"language": LANGUAGE_NAMES[code], "years": ", ".join(map(str, years))}
        for code, years in stale_years(edition).items()
    ]


def _still_current(row: CurrentEdition, edition: Edition) -> bool:
    """Whether ``row``'s edition should stay on the home page rather than give way to ``edition``:
    its registration is open or its groups are running, or it is announced and comes first."""
    other = row.edition
    if other.starts_on > edition.starts_on:
        return False
    return other.status in (EditionStatus.ANNOUNCED, EditionStatus.REGISTRATION_OPEN, EditionStatus.RUNNING)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Publish an edition, and make it current (on the home page) now or later.

    A published edition that is not current waits: the home page keeps presenting the edition
    whose registration is open or whose groups are running, until staff make this one current
    (this same page, reached by "Make current…" on the edition's page).
    """
    edition = _edition_for(request, pk)
    already_published = edition.published_at is not None
    if request.method == "POST":
        make_current = request.POST.get("make_current") == "yes"
        if already_published and make_current:
            services.make_edition_current(actor=request.user, edition=edition)
            messages.success(request, _("The edition is now the current edition: the home page presents it."))
        elif not already_published:
            services.publish_edition(actor=request.user, edition=edition, make_current=make_current)
            if make_current:
                messages.success(request, _("The edition is published and is now the current edition."))
            else:
                messages.success(
                    request,
                    _(
                        "The edition is published. The home page still presents the current edition "
                        "until you make this one current."
                    ),
                )
        return redirect(_dashboard_url(edition))
    replaced = list(
        CurrentEdition.objects.filter(country__in=edition.countries).exclude(edition=edition).select_related("edition")
    )
    countries = ", ".join(str(Country(code).label) for code in edition.countries)
    notes = [
        _("“%(edition)s” is the current edition in %(country)s (%(status)s): the home page presents it.")
        % {"edition": row.edition, "country": row.get_country_display(), "status": row.edition.status.label}
        for row in replaced
    ]
    keep_recommended = any(_still_current(row, edition) for row in replaced)
    current_choice = {
        "value": "yes",
        "label": _("Publish and make it current") if not already_published else _("Make it current"),
        "help": _("The home page presents it in: %(countries)s.") % {"countries": countries}
        + (" " + _("It replaces the edition above.") if replaced else ""),
    }
    wait_choice = {
        "value": "no",
        "label": _("Publish, keep the current edition on the home page"),
        "help": _(
            "Its pages and the archive show it now. Make it current later with “Make current…” on its page, "
            "for example when its registration opens."
        ),
    }
    if already_published:
        choices = [current_choice]
        title = _("Make “%(edition)s” the current edition?") % {"edition": edition}
    elif keep_recommended:
        choices = [wait_choice, current_choice]
        notes.append(_("Its registration or its groups are still under way, so we suggest keeping it there for now."))
        title = _("Publish “%(edition)s”?") % {"edition": edition}
    else:
        choices = [current_choice, wait_choice] if replaced else [current_choice]
        title = _("Publish “%(edition)s”?") % {"edition": edition}
    return _confirm_page(
        request,
        edition=edition,
        title=title,
        notes=notes,
        warnings=stale_year_notes(edition),
        choices=choices,
        preview_url=_preview_url(edition),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unpublish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    if request.method == "POST":
        services.unpublish_edition(actor=request.user, edition=edition)
        messages.success(request, _("The edition is back to draft."))
        return redirect(_dashboard_url(edition))
    return _confirm_page(
        request,
        edition=edition,
        title=_("Take “%(edition)s” back to draft?") % {"edition": edition},
        notes=[_("Visitors no longer see it, and the countries where it is current keep no current edition.")],
        button=_("Back to draft"),
        danger=True,
    )


def _confirm_page(request: AuthenticatedRequest, **context: Any) -> HttpResponse:
    return render(request, "editions/staff/confirm.html", context)


# --- History --------------------------------------------------------------------

_ACTIONS = {
    "created": gettext_lazy("created"),
    "changed": gettext_lazy("changed"),
    "published": gettext_lazy("published"),
    "unpublished": gettext_lazy("back to draft"),
    "made_current": gettext_lazy("made current"),
    "part_deleted": gettext_lazy("deleted a part"),
}
_DIFF_ACTIONS = {"created", "changed", "part_deleted"}
_EXTRA_LABELS = {"copied_from": gettext_lazy("copied from"), "countries": gettext_lazy("countries")}


def _history_filter(edition: Edition) -> Q:
    """The changes of ``edition`` and of every part it has now (deleted parts are recorded on the edition)."""

    def of(model: type[models.Model], ids: QuerySet[Any]) -> Q:
        return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids.values("pk"))

    return (
        Q(content_type=ContentType.objects.get_for_model(Edition), object_id=edition.pk)
        | of(Phase, Phase.objects.filter(edition=edition))
        | of(Theme, Theme.objects.filter(edition=edition))
        | of(ThemeOffice, ThemeOffice.objects.filter(theme__edition=edition))
        | of(Resource, Resource.objects.filter(Q(edition=edition) | Q(theme__edition=edition)))
        | of(FaqItem, FaqItem.objects.filter(edition=edition))
    )


def _label(model: type[models.Model] | None, name: str) -> str:
    if name in _EXTRA_LABELS:
        return str(_EXTRA_LABELS[name])
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name  # type: ignore[union-attr]
    except FieldDoesNotExist:
        try:  # a deleted part, recorded on the edition under its model name
            return str(apps.get_model("editions", name)._meta.verbose_name)
        except LookupError:
            return name


def _history_row(record: ChangeRecord, names: dict[tuple[type[models.Model], int], str]) -> dict[str, Any]:
    """One line of the history, in words: names for ids, labels for choices, yes/no for ticks."""
    model = record.content_type.model_class()
    changes = []
    for name, value in (record.changes or {}).items():
        if record.action in _DIFF_ACTIONS and isinstance(value, list) and len(value) == 2:
            before, after = (value_in_words(model, name, item, names) for item in value)
            changes.append({"label": _label(model, name), "before": before, "after": after, "diff": True})
        else:
            items = value if isinstance(value, list) else [value]
            if name == "countries":
                items = [Country(code).label if code in Country.values else code for code in items]
            changes.append({"label": _label(model, name), "value": ", ".join(map(str, items)), "diff": False})
    return {
        "record": record,
        "kind": model._meta.verbose_name if model else record.content_type.model,
        "action": _ACTIONS.get(record.action, record.action),
        "changes": changes,
    }


@login_required
@require_safe
def history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    records = ChangeRecord.objects.filter(_history_filter(edition)).select_related("actor", "content_type")
    shown = list(records[:HISTORY_LIMIT])
    names = related_names(shown)
    rows = [_history_row(record, names) for record in shown]
    return render(request, "editions/staff/history.html", {"edition": edition, "rows": rows, "limit": HISTORY_LIMIT})


# --- Parts ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def part_add(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    edition = _edition_for(request, pk)
    part_kind = _part_kind(kind)
    initial = {"theme": request.GET["theme"]} if request.GET.get("theme", "").isdigit() else {}
    form = part_kind.form(request.POST or None, request.FILES or None, edition=edition, initial=initial)
    if request.method == "POST" and form.is_valid():
        added = _attempt(form, lambda: part_kind.create(actor=request.user, edition=edition, values=form.cleaned_data))
        if added is not None:
            messages.success(request, _("Added."))
            return redirect(_dashboard_url(edition, kind))
    return _form_page(request, form, edition=edition, title=part_kind.add_title, submit=_("Add"), cancel_anchor=kind)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request: AuthenticatedRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    part_kind = _part_kind(kind)
    part = get_object_or_404(part_kind.scope(edition), pk=part_pk)
    form = part_kind.form(request.POST or None, request.FILES or None, instance=part, edition=edition)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(form, lambda: part_kind.update(request.user, part, form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(_dashboard_url(edition, kind))
    delete_url = reverse("editions_staff:part_delete", kwargs={"pk": edition.pk, "kind": kind, "part_pk": part.pk})
    return _form_page(
        request,
        form,
        edition=edition,
        title=part_kind.edit_title,
        subject=str(part),
        submit=_("Save"),
        cancel_anchor=kind,
        delete_url=delete_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request: AuthenticatedRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    edition = _edition_for(request, pk)
    part_kind = _part_kind(kind)
    part = get_object_or_404(part_kind.scope(edition), pk=part_pk)
    if request.method == "POST":
        try:
            part_kind.delete(request.user, part)
        except EditionRuleBroken as broken:
            for message in broken.errors.values():
                messages.error(request, message)
            return redirect(_dashboard_url(edition, kind))
        messages.success(request, _("Deleted."))
        return redirect(_dashboard_url(edition, kind))
    notes = [_("This cannot be undone. The history keeps a trace of it.")]
    if kind == "themes":
        notes.insert(0, _("Its offices and resources are deleted with it."))
    return _confirm_page(
        request,
        edition=edition,
        title=part_kind.delete_title,
        subject=str(part),
        notes=notes,
        button=_("Delete"),
        danger=True,
        cancel_anchor=kind,
    )
