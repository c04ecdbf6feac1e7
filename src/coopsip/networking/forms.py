from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopsip.events.models import Place
from coopsip.events.organise_forms import BrusselsDateTimeField
from coopsip.networking.models import (
    MAX_RADIUS_KM,
    Category,
    Kind,
    Language,
    Pay,
    Profile,
    ProfileField,
    SavedSearch,
    Sector,
    Skill,
)
from coopsip.networking.selectors import SearchFilters
from coopsip.networking.services import ListingInput, ProfileInput, ProjectInput
from coopsip.places.models import Municipality, Office


class MunicipalityField(forms.CharField):
    """A postcode or a place name typed by the person ("9000", "9000 Gent", "Gent"), found in the shipped list."""

    default_error_messages = {"unknown": _("We do not know this place: type a postcode, for example 9000.")}

    def clean(self, value: Any) -> Municipality | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
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
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False
    )
    skill: forms.ModelChoiceField[Skill] = forms.ModelChoiceField(
        label=_("Skill"), queryset=Skill.objects.all(), required=False
    )
    pay = forms.ChoiceField(label=_("Terms"), choices=[("", _("any")), *Pay.choices], required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("any")), *Language.choices], required=False)
    remote = forms.BooleanField(label=_("Remote only"), required=False)
    near = MunicipalityField(label=_("Near (postcode)"), required=False, max_length=120)
    within_km = forms.IntegerField(label=_("Within (km)"), min_value=0, max_value=10_000, required=False)
    order = forms.ChoiceField(label=_("Sort by"), choices=ORDERS, required=False)

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
