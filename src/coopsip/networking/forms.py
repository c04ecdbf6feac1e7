from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from coopsip.events.models import EventFormat, Place
from coopsip.events.models import Sector as EventSector
from coopsip.events.organise_forms import BrusselsDateTimeField
from coopsip.networking.followup import Filters as FollowUpFilters
from coopsip.networking.followup import period_bounds
from coopsip.networking.models import (
    MAX_RADIUS_KM,
    Category,
    Kind,
    Language,
    Level,
    Pay,
    Profile,
    ProfileField,
    SavedSearch,
    Sector,
    Skill,
)
from coopsip.networking.selectors import SearchFilters
from coopsip.networking.services import (
    FollowUpInput,
    ListingInput,
    ProfileInput,
    ProjectInput,
    RecordedEventInput,
)
from coopsip.places.models import Municipality, Office


class MunicipalityField(forms.CharField):
    """A postcode or a place name typed by the person ("9000", "9000 Gent", "Gent"), found in the shipped list.

    ``known`` (text typed → place, from ``find_places``) spares the query when many forms are validated at once.
    """

    default_error_messages = {"unknown": _("We do not know this place: type a postcode, for example 9000.")}
    known: Mapping[str, Municipality] | None = None

    def clean(self, value: Any) -> Municipality | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if self.known is not None and text in self.known:
            return self.known[text]
        postcode, _sep, name = text.partition(" ")
        places = Municipality.objects.all()
        if postcode.isdigit():
            places = places.filter(postcode=postcode)
            if name:
                named = places.filter(name__iexact=name.strip())
                places = named if named.exists() else places
        else:
            places = places.filter(name__iexact=text)
        place = places.order_by("country", "postcode", "name").first()
        if place is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return place


def find_places(texts: Iterable[str]) -> dict[str, Municipality]:
    """What ``MunicipalityField`` finds for each of ``texts``, in one query for all of them (the saved searches'
    digest validates thousands of forms). The same rule in Python: a postcode (with a name, the place of that name
    if one has it), else a name, case-insensitively; the first by country, postcode and name. A text it finds
    nothing for is left out: the field then asks the database itself (and says it does not know the place)."""
    postcodes: set[str] = set()
    names: set[str] = set()
    cleaned = {text.strip() for text in texts if text and text.strip()}
    for text in cleaned:
        postcode, _sep, _name = text.partition(" ")
        if postcode.isdigit():
            postcodes.add(postcode)
        else:
            names.add(text.lower())
    if not postcodes and not names:
        return {}
    rows = list(
        Municipality.objects.annotate(lower_name=Lower("name"))
        .filter(Q(postcode__in=sorted(postcodes)) | Q(lower_name__in=sorted(names)))
        .order_by("country", "postcode", "name", "pk")
    )
    by_postcode: dict[str, list[Municipality]] = {}
    by_name: dict[str, list[Municipality]] = {}
    for row in rows:
        by_postcode.setdefault(row.postcode, []).append(row)
        by_name.setdefault(row.name.lower(), []).append(row)
    found: dict[str, Municipality] = {}
    for text in cleaned:
        postcode, _sep, name = text.partition(" ")
        if postcode.isdigit():
            candidates = by_postcode.get(postcode, [])
            if name:
                named = [row for row in candidates if row.name.lower() == name.strip().lower()]
                candidates = named or candidates
        else:
            candidates = by_name.get(text.lower(), [])
        if candidates:
            found[text] = candidates[0]
    return found


@dataclass(frozen=True)
class KnownChoices:
    """What a ``SearchForm`` may look up without a query: places by the text typed, sectors and skills by id."""

    places: Mapping[str, Municipality]
    sectors: Mapping[str, Sector]
    skills: Mapping[str, Skill]


class _KnownModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that takes the row from ``known`` (id as text → row) when it is there."""

    known: Mapping[str, Any] | None = None

    def to_python(self, value: Any) -> Any:
        if self.known is not None and value not in self.empty_values and str(value) in self.known:
            return self.known[str(value)]
        return super().to_python(value)


def _place_initial(municipality: Municipality | None) -> str:
    return f"{municipality.postcode} {municipality.name}" if municipality else ""


class ProfileForm(forms.Form):
    is_visible = forms.BooleanField(
        label=_("Show my profile to other members"),
        required=False,
        help_text=_("Off by default. Only logged-in members see it; visitors and search engines never do."),
    )
    activity = forms.CharField(label=_("Activity"), max_length=200, required=False)
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=Skill.objects.all(), required=False
    )
    services = forms.CharField(
        label=_("Services"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages I work in"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office"), queryset=Office.objects.all(), required=False
    )
    place = MunicipalityField(label=_("Where I work (postcode)"), required=False, max_length=120)
    radius_km = forms.IntegerField(label=_("How far I travel (km)"), min_value=0, max_value=MAX_RADIUS_KM, initial=30)
    in_person = forms.BooleanField(label=_("I work in person"), required=False, initial=True)
    remote = forms.BooleanField(label=_("I work remotely"), required=False)
    about = forms.CharField(
        label=_("About me"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000, required=False
    )
    links = forms.CharField(
        label=_("Links to my work"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("One address a line, starting with https://"),
    )
    looking_for = forms.CharField(
        label=_("What I am looking for"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    shown = forms.MultipleChoiceField(
        label=_("Show on my profile"),
        choices=ProfileField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your name is always shown; untick what you keep to yourself."),
    )

    @classmethod
    def initial_for(cls, profile: Profile | None, user: Any) -> dict[str, Any]:
        if profile is None:
            return {
                "languages": [code for code in (user.languages_spoken or [user.preferred_language]) if code],
                "office": user.office_id,
                "place": _place_initial(user.municipality),
                "shown": list(ProfileField.values),
                "in_person": True,
            }
        return {
            "is_visible": profile.is_visible,
            "activity": profile.activity,
            "sectors": list(profile.sectors.all()),
            "skills": list(profile.skills.all()),
            "services": profile.services,
            "languages": profile.languages,
            "office": profile.office_id,
            "place": _place_initial(profile.municipality),
            "radius_km": profile.radius_km,
            "in_person": profile.in_person,
            "remote": profile.remote,
            "about": profile.about,
            "links": profile.links,
            "looking_for": profile.looking_for,
            "shown": profile.shown,
        }

    def to_input(self) -> ProfileInput:
        d = self.cleaned_data
        return ProfileInput(
            is_visible=d["is_visible"],
            activity=d["activity"],
            sectors=tuple(d["sectors"]),
            skills=tuple(d["skills"]),
            services=d["services"],
            languages=tuple(d["languages"]),
            office_id=d["office"].pk if d["office"] else None,
            municipality_id=d["place"].pk if d["place"] else None,
            radius_km=d["radius_km"] if d["radius_km"] is not None else 30,
            in_person=d["in_person"],
            remote=d["remote"],
            about=d["about"],
            links=d["links"],
            looking_for=d["looking_for"],
            shown=tuple(d["shown"]),
        )


class ListingForm(forms.Form):
    """One short form for an offer or a need: what, a title, a few words, where, and the terms."""

    kind = forms.ChoiceField(label=_("I publish"), choices=Kind.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("What is it about"), choices=Category.choices)
    title = forms.CharField(label=_("Title"), max_length=140)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    language = forms.ChoiceField(label=_("Language of the text"), choices=Language.choices)
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), required=False
    )
    skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        label=_("Skills"), queryset=Skill.objects.all(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=200, required=False, help_text=_("Free words, separated by commas.")
    )
    place = MunicipalityField(label=_("Place (postcode)"), required=False, max_length=120)
    radius_km = forms.IntegerField(label=_("Within (km)"), min_value=0, max_value=MAX_RADIUS_KM, initial=25)
    remote = forms.BooleanField(label=_("Can be done remotely"), required=False)
    starts_on = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Empty: ongoing.")
    )
    ends_on = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    pay = forms.ChoiceField(label=_("Terms"), choices=Pay.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date comes before the start date."))
        if not data.get("place") and not data.get("remote") and "place" not in self.errors:
            self.add_error("place", _("Say where (a postcode) or tick that it can be done remotely."))
        return data

    @classmethod
    def initial_for_listing(cls, listing: Any) -> dict[str, Any]:
        return {
            "kind": listing.kind,
            "category": listing.category,
            "title": listing.title,
            "body": listing.body,
            "language": listing.language,
            "sectors": list(listing.sectors.all()),
            "skills": list(listing.skills.all()),
            "tags": listing.tags,
            "place": _place_initial(listing.municipality),
            "radius_km": listing.radius_km,
            "remote": listing.remote,
            "starts_on": listing.starts_on,
            "ends_on": listing.ends_on,
            "pay": listing.pay,
        }

    def to_input(self) -> ListingInput:
        d = self.cleaned_data
        return ListingInput(
            kind=d["kind"],
            category=d["category"],
            title=d["title"],
            body=d["body"],
            language=d["language"],
            sectors=tuple(d["sectors"]),
            skills=tuple(d["skills"]),
            tags=d["tags"],
            municipality_id=d["place"].pk if d["place"] else None,
            radius_km=d["radius_km"] if d["radius_km"] is not None else 25,
            remote=d["remote"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            pay=d["pay"],
        )


ORDERS = [("relevance", _("relevance")), ("distance", _("distance")), ("newest", _("newest first"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=10_000)
    kind = forms.ChoiceField(label=_("Offers or needs"), choices=[("", _("both")), *Kind.choices], required=False)
    sector = _KnownModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    skill = _KnownModelChoiceField(label=_("Skill"), queryset=Skill.objects.all(), required=False)
    pay = forms.ChoiceField(label=_("Terms"), choices=[("", _("any")), *Pay.choices], required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("any")), *Language.choices], required=False)
    remote = forms.BooleanField(label=_("Remote only"), required=False)
    near = MunicipalityField(label=_("Near (postcode)"), required=False, max_length=120)
    within_km = forms.IntegerField(label=_("Within (km)"), min_value=0, max_value=10_000, required=False)
    order = forms.ChoiceField(label=_("Sort by"), choices=ORDERS, required=False)

    def __init__(self, *args: Any, known: KnownChoices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if known is not None:
            self.fields["near"].known = known.places  # type: ignore[attr-defined]
            self.fields["sector"].known = known.sectors  # type: ignore[attr-defined]
            self.fields["skill"].known = known.skills  # type: ignore[attr-defined]

    def filters(self) -> SearchFilters:
        d = self.cleaned_data
        return SearchFilters(
            query=(d.get("q") or "")[:10_000],
            kind=d.get("kind") or "",
            sector=d.get("sector"),
            skill=d.get("skill"),
            pay=d.get("pay") or "",
            language=d.get("language") or "",
            remote=bool(d.get("remote")),
            near=d.get("near"),
            within_km=d.get("within_km") if d.get("near") else None,
            order=d.get("order") or "relevance",
        )


class ContactForm(forms.Form):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is hidden (the author is told)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100, required=False)
    frequency = forms.ChoiceField(
        label=_("Email me new results"), choices=SavedSearch.Frequency.choices, initial=SavedSearch.Frequency.WEEKLY
    )


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title of the project"), max_length=140)
    description = forms.CharField(
        label=_("What it is"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, help_text=_("Markdown.")
    )
    needs = forms.CharField(
        label=_("What it needs"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    offers = forms.CharField(
        label=_("What it offers"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    sectors: forms.ModelMultipleChoiceField[Sector] = forms.ModelMultipleChoiceField(
        label=_("Sectors"), queryset=Sector.objects.all(), required=False
    )

    def to_input(self) -> ProjectInput:
        d = self.cleaned_data
        return ProjectInput(
            title=d["title"],
            description=d["description"],
            needs=d["needs"],
            offers=d["offers"],
            sectors=tuple(d["sectors"]),
        )


class RecommendForm(forms.Form):
    text = forms.CharField(
        label=_("Who could help, and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("A member or a partner; only the project owner reads it."),
    )


class PartnerMeetingForm(forms.Form):
    starts_at = BrusselsDateTimeField(label=_("Starts (Brussels time)"))
    ends_at = BrusselsDateTimeField(label=_("Ends (Brussels time)"))
    place: forms.ModelChoiceField[Place] = forms.ModelChoiceField(
        label=_("Place"), queryset=Place.objects.filter(is_active=True), required=False
    )
    address = forms.CharField(label=_("Or an address"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=1000, required=False)

    def to_input(self, project: Any, language: str) -> Any:
        from coopsip.events.services import EventInput

        d = self.cleaned_data
        return EventInput(
            titles={language: (_("Partner meeting: %(title)s") % {"title": project.title})[:200]},
            descriptions={language: project.description},
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            place=d["place"],
            address=d["address"],
            capacity=d["capacity"],
            language=language,
        )


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("A word to the coordinators (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class FollowUpFilterForm(forms.Form):
    """The dashboard's filters: a period (the current year by default: a calendar week, month, quarter or year
    holding the "From" day, or the days between "From" and "Until") and a level, sector, format or office."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("", _("the dates below")),
            ("week", _("week")),
            ("month", _("month")),
            ("quarter", _("quarter")),
            ("year", _("year")),
        ],
        required=False,
        help_text=_("A week, month, quarter or year: the one that holds the “From” day (today when empty)."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("all levels")), *Level.choices], required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("all sectors")), *EventSector.choices], required=False
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("all formats")), *EventFormat.choices], required=False
    )
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office or region"), queryset=Office.objects.all(), required=False, empty_label=_("all offices")
    )

    def chosen_period(self) -> str:
        """The chosen calendar period ("" for the dates given)."""
        return (self.cleaned_data.get("period") or "") if self.is_bound and self.is_valid() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start and not data.get("period"):
            self.add_error("end", _("The end comes before the start."))
        return data

    def filters(self, today: date) -> FollowUpFilters:
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if d.get("period"):
            start, end = period_bounds(d["period"], d.get("start") or today)
        else:
            start = d.get("start") or date(today.year, 1, 1)
            end = d.get("end") or max(start, date(today.year, 12, 31))
        office = d.get("office")
        return FollowUpFilters(
            start=start,
            end=end,
            level=d.get("level") or "",
            sector=d.get("sector") or "",
            format=d.get("format") or "",
            office_id=office.pk if office else None,
        )


class FollowUpForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office or region"),
        queryset=Office.objects.all(),
        required=False,
        help_text=_("Empty: the office of the event's place."),
    )
    sectors = forms.MultipleChoiceField(
        label=_("Other sectors"),
        choices=EventSector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sectors the event was also for, beside its own."),
    )
    organised_by = forms.CharField(
        label=_("Organised by"), max_length=200, required=False, help_text=_("Empty: the cooperative.")
    )
    headcount = forms.IntegerField(
        label=_("People present (counted)"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("For an event whose sign-ups are not kept here: how many people came."),
    )

    def to_input(self) -> FollowUpInput:
        d = self.cleaned_data
        office = d.get("office")
        return FollowUpInput(
            level=d["level"],
            office_id=office.pk if office else None,
            organised_by=d.get("organised_by") or "",
            headcount=d.get("headcount"),
            sectors=tuple(d.get("sectors") or ()),
        )


class RecordEventForm(forms.Form):
    """One form for an event held by others (a partner, a federal or European network) that staff record."""

    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.REGIONAL)
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=EventSector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every sector the event was for."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=EventFormat.choices, initial=EventFormat.MEETING)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Where it was held"), max_length=300, help_text=_("A venue and town, or “online”."))
    office: forms.ModelChoiceField[Office] = forms.ModelChoiceField(
        label=_("Office or region"), queryset=Office.objects.all(), required=False
    )
    organised_by = forms.CharField(label=_("Organised by"), max_length=200)
    headcount = forms.IntegerField(label=_("People present (counted)"), min_value=0, max_value=100_000)
    signups = forms.IntegerField(
        label=_("Sign-ups (counted)"),
        min_value=0,
        max_value=100_000,
        required=False,
        help_text=_("How many people had signed up, if the organiser says."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on > self.today:
            raise forms.ValidationError(_("Record an event once it has been held: this date is still to come."))
        return held_on

    def to_input(self) -> RecordedEventInput:
        d = self.cleaned_data
        office = d.get("office")
        return RecordedEventInput(
            title=d["title"],
            held_on=d["held_on"],
            place=d["place"],
            format=d["format"],
            sectors=tuple(d.get("sectors") or ()),
            follow_up=FollowUpInput(
                level=d["level"],
                office_id=office.pk if office else None,
                organised_by=d["organised_by"],
                headcount=d["headcount"],
                sectors=(),
                signups=d.get("signups"),
            ),
        )
