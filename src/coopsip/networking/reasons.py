"""The matching engine's reasons in words, in the reader's language."""

from __future__ import annotations

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from coopsip.networking.matching import Reason
from coopsip.networking.models import Category, Language, Pay, Sector, Skill


def describe(reason: Reason, *, sectors: dict[int, Sector], skills: dict[int, Skill]) -> str:
    """One reason as a short phrase: "same sector: audiovisual", "12 km", "speaks French", "available in March"."""
    code, value = reason.code, reason.value
    if code in ("same_sector", "related_sector"):
        name = str(sectors.get(int(value), "")) or "?"
        return (_("same sector: %(name)s") if code == "same_sector" else _("related sector: %(name)s")) % {"name": name}
    if code in ("same_skill", "related_skill"):
        name = str(skills.get(int(value), "")) or "?"
        return (_("same skill: %(name)s") if code == "same_skill" else _("related skill: %(name)s")) % {"name": name}
    if code == "same_category":
        return str(Category(value).label) if value in Category.values else value
    if code == "similar_words":
        return _("similar words")
    if code == "distance":
        return _("%(km)s km") % {"km": value}
    if code == "remote":
        return _("remote on both sides")
    if code == "language":
        label = Language(value).label if value in Language.values else value
        return _("speaks %(language)s") % {"language": label}
    if code == "dates":
        return _("available in %(month)s") % {"month": formats.date_format(date.fromisoformat(value), "F Y")}
    if code == "ongoing":
        return _("ongoing")
    if code == "same_pay":
        return str(Pay(value).label) if value in Pay.values else value
    return code


def describe_all(reasons: tuple[Reason, ...], *, sectors: dict[int, Sector], skills: dict[int, Skill]) -> str:
    return "; ".join(describe(reason, sectors=sectors, skills=skills) for reason in reasons)
