"""The engine's codes in words, in the active language: why someone has no group, which rule a move breaks.

The engine gives a code and its parameters (ids); this module names the
people, themes, offices, languages and slots behind the ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from coopsip.accounts.models import SPOKEN_LANGUAGES, Gender, StakeholderType
from coopsip.editions.models import Theme
from coopsip.formation.inputs import MEMBER_STAKEHOLDER, slot_label
from coopsip.formation.models import ProposedGroup
from coopsip.places.models import Office
from coopsip.registrations.models import Registration


class Names:
    """Display names for the ids in the engine's parameters, loaded on first use."""

    def __init__(self, registrations: Mapping[str, Registration] | None = None) -> None:
        self._people = {
            key: registration.user.get_full_name() or registration.user.email
            for key, registration in (registrations or {}).items()
        }
        self._themes: dict[str, str] | None = None
        self._offices: dict[str, str] | None = None

    def person(self, pid: Any) -> str:
        key = str(pid)
        if key not in self._people:
            found = Registration.objects.filter(pk=int(key)).select_related("user").first() if key.isdigit() else None
            self._people[key] = (found.user.get_full_name() or found.user.email) if found else key
        return self._people[key]

    def theme(self, tid: Any) -> str:
        if self._themes is None:
            self._themes = {str(t.pk): t.title for t in Theme.objects.all()}
        return self._themes.get(str(tid), str(tid))

    def office(self, oid: Any) -> str:
        if oid is None:
            return _("by video")
        if self._offices is None:
            self._offices = {str(o.pk): o.name for o in Office.objects.all()}
        return self._offices.get(str(oid), str(oid))


def group_label(group: ProposedGroup) -> str:
    """A group named so that no two look alike: its code, theme, place (or video), language and time slot.

    ``group.theme`` and ``group.office`` should be loaded with the group (select_related)."""
    place = group.office.name if group.office_id and group.office is not None else _("by video")
    return _("%(code)s: %(theme)s, %(place)s, %(language)s, %(slot)s") % {
        "code": group.key,
        "theme": group.theme.title,
        "place": place,
        "language": _language(group.language),
        "slot": slot_label(group.slot),
    }


def _the_group(p: Mapping[str, Any]) -> str:
    """ "Group G0003 (Housing, Ghent, …)" when the text knows which group, else "The group"."""
    label = p.get("group_label")
    return _("Group %(group)s") % {"group": label} if label else _("The group")


def _language(code: Any) -> str:
    return str(dict(SPOKEN_LANGUAGES).get(str(code), str(code)))


def _role(role: Any) -> str:
    return {"moderator": _("moderator"), "secretary": _("secretary"), "board": _("board member")}.get(
        str(role), str(role)
    )


def _kind(code: Any) -> str:
    if code == MEMBER_STAKEHOLDER:
        return str(_("member"))
    return str(dict(StakeholderType.choices).get(str(code), str(code)))


def _gender(code: Any) -> str:
    return str(dict(Gender.choices).get(str(code), str(code)))


def _seen(p: Mapping[str, Any]) -> int:
    """How many of that kind the group already holds (the engine gives the next one's number)."""
    return max(0, int(p.get("nth") or 1) - 1)


Text = Callable[[Mapping[str, Any], Names], str]

VIOLATIONS: dict[str, Text] = {
    "group_size": lambda p, n: (
        _("%(group)s would have %(size)s members (allowed: %(min)s to %(max)s).")
        % {"group": _the_group(p), "size": p.get("size"), "min": p.get("min_size"), "max": p.get("max_size")}
    ),
    "moderator_count": lambda p, n: (
        _("%(group)s would have %(count)s moderators: it needs exactly one.")
        % {"group": _the_group(p), "count": p.get("count")}
    ),
    "secretary_count": lambda p, n: (
        _("%(group)s would have %(count)s secretaries: it needs exactly one.")
        % {"group": _the_group(p), "count": p.get("count")}
    ),
    "role_not_volunteered": lambda p, n: (
        _("%(person)s did not volunteer as %(role)s.")
        % {"person": n.person(p.get("person")), "role": _role(p.get("role"))}
    ),
    "theme_not_chosen": lambda p, n: (
        _("%(person)s did not choose the theme %(theme)s.")
        % {"person": n.person(p.get("person")), "theme": n.theme(p.get("theme"))}
    ),
    "theme_not_in_country": lambda p, n: (
        _("The theme %(theme)s does not run in the country of %(person)s.")
        % {"person": n.person(p.get("person")), "theme": n.theme(p.get("theme"))}
    ),
    "language": lambda p, n: (
        _("%(person)s does not work in %(language)s.")
        % {"person": n.person(p.get("person")), "language": _language(p.get("language"))}
    ),
    "not_available": lambda p, n: (
        _("%(person)s is not available on %(slot)s.")
        % {"person": n.person(p.get("person")), "slot": slot_label(str(p.get("slot")))}
    ),
    "video_only": lambda p, n: (
        _("%(person)s meets only by video, and this group meets in person.") % {"person": n.person(p.get("person"))}
    ),
    "in_person_only": lambda p, n: (
        _("%(person)s meets only in person, and this group meets by video.") % {"person": n.person(p.get("person"))}
    ),
    "too_far": lambda p, n: (
        _("%(person)s lives %(km)s km from %(office)s (at most %(max)s km).")
        % {
            "person": n.person(p.get("person")),
            "km": number_format(float(p.get("km") or 0), 1),
            "office": n.office(p.get("office")),
            "max": p.get("max_km"),
        }
        if p.get("km") is not None
        else _("%(person)s gave no address and %(office)s is not their office.")
        % {"person": n.person(p.get("person")), "office": n.office(p.get("office"))}
    ),
    "unknown_person": lambda p, n: (
        _("%(person)s has no active registration for this edition.") % {"person": n.person(p.get("person"))}
    ),
    "one_theme_per_office": lambda p, n: _("An office would host groups of several themes.") % {},
    "board_count": lambda p, n: (
        _("%(group)s would have %(count)s board members: it needs exactly one.")
        % {"group": _the_group(p), "count": p.get("count")}
    ),
    "stakeholder_share": lambda p, n: (
        _("%(group)s would have %(count)s of %(size)s members of type %(kind)s: at most %(share)s%% of a group.")
        % {
            "group": _the_group(p),
            "count": p.get("count"),
            "size": p.get("size"),
            "kind": _kind(p.get("stakeholder")),
            "share": p.get("share"),
        }
    ),
    "gender_share": lambda p, n: (
        _(
            "%(group)s would have %(count)s of %(size)s members who gave a gender answering %(gender)s: "
            "at most %(share)s%% of one gender."
        )
        % {
            "group": _the_group(p),
            "count": p.get("count"),
            "size": p.get("size"),
            "gender": _gender(p.get("gender")),
            "share": p.get("share"),
        }
    ),
    "stakeholder_types": lambda p, n: (
        _("%(group)s would mix %(count)s stakeholder types: it needs at least %(min)s.")
        % {"group": _the_group(p), "count": p.get("count"), "min": p.get("min")}
    ),
    "in_two_groups": lambda p, n: _("%(person)s would be in two groups.") % {"person": n.person(p.get("person"))},
}

UNPLACED: dict[str, Text] = {
    "theme_not_in_country": lambda p, n: _("None of the chosen themes runs in this person's country."),
    "no_slots": lambda p, n: _("No time slot was given."),
    "no_language": lambda p, n: _("No working language was given."),
    "no_office_near": lambda p, n: (
        _("No office within %(km)s km of home, and meets only in person.") % {"km": p.get("max_km")}
    ),
    "no_common_slot": lambda p, n: (
        _(
            "Too few people share one of the time slots for %(theme)s in %(language)s (%(place)s): "
            "at most %(count)s people."
        )
        % {
            "theme": n.theme(p.get("theme")),
            "language": _language(p.get("language")),
            "place": n.office(p.get("office")),
            "count": p.get("count"),
        }
    ),
    "too_few_people": lambda p, n: (
        _("No group in %(language)s on these time slots for %(theme)s (%(place)s): %(count)s people.")
        % {
            "theme": n.theme(p.get("theme")),
            "language": _language(p.get("language")),
            "place": n.office(p.get("office")),
            "count": p.get("count"),
        }
    ),
    "no_moderator": lambda p, n: (
        _("No moderator volunteered for %(theme)s (%(place)s) on these time slots.")
        % {"theme": n.theme(p.get("theme")), "place": n.office(p.get("office"))}
    ),
    "no_secretary": lambda p, n: (
        _("No secretary volunteered for %(theme)s (%(place)s) on these time slots.")
        % {"theme": n.theme(p.get("theme")), "place": n.office(p.get("office"))}
    ),
    "groups_full": lambda p, n: (
        (
            _(
                "The groups this person could join (such as %(theme)s in %(language)s, %(place)s) are full, and one "
                "more group there would break the edition's format: the volunteers for its roles, or its balance "
                "rules, do not allow it."
            )
            if p.get("format")
            else _(
                "The groups this person could join (such as %(theme)s in %(language)s, %(place)s) are full, or "
                "their moderators and secretaries were needed by larger groups."
            )
        )
        % {
            "theme": n.theme(p.get("theme")),
            "language": _language(p.get("language")),
            "place": n.office(p.get("office")),
        }
    ),
    "no_board": lambda p, n: (
        _("No board member volunteered for %(theme)s (%(place)s) on these time slots.")
        % {"theme": n.theme(p.get("theme")), "place": n.office(p.get("office"))}
    ),
    "balance_share": lambda p, n: (
        _(
            "No group of %(theme)s (%(place)s) can take one more person of type %(kind)s (%(count)s already): "
            "at most %(share)s%% of a group."
        )
        % {
            "theme": n.theme(p.get("theme")),
            "place": n.office(p.get("office")),
            "kind": _kind(p.get("kind")),
            "count": _seen(p),
            "share": p.get("share"),
        }
    ),
    "balance_gender": lambda p, n: (
        _(
            "No group of %(theme)s (%(place)s) can take one more person answering %(gender)s (%(count)s already): "
            "at most %(share)s%% of one gender."
        )
        % {
            "theme": n.theme(p.get("theme")),
            "place": n.office(p.get("office")),
            "gender": _gender(p.get("kind")),
            "count": _seen(p),
            "share": p.get("share"),
        }
    ),
    "balance_types": lambda p, n: (
        _("No group of %(theme)s (%(place)s) on these time slots can mix %(min)s stakeholder types.")
        % {"theme": n.theme(p.get("theme")), "place": n.office(p.get("office")), "min": p.get("min")}
    ),
    "removed_by_staff": lambda p, n: _("Taken out of the groups by staff."),
    "group_dissolved": lambda p, n: _("The group was dissolved after someone declined, and no other group fits."),
}


# A group as it is (not after a move) that breaks a balance rule: the run page's list of flagged groups.
FLAGS: dict[str, Text] = {
    "stakeholder_share": lambda p, n: (
        _("%(group)s — %(count)s of %(size)s members are of type %(kind)s: at most %(share)s%% of a group.")
        % {
            "group": _the_group(p),
            "count": p.get("count"),
            "size": p.get("size"),
            "kind": _kind(p.get("stakeholder")),
            "share": p.get("share"),
        }
    ),
    "gender_share": lambda p, n: (
        _(
            "%(group)s — %(count)s of the %(size)s members who gave a gender answered %(gender)s: "
            "at most %(share)s%% of one gender."
        )
        % {
            "group": _the_group(p),
            "count": p.get("count"),
            "size": p.get("size"),
            "gender": _gender(p.get("gender")),
            "share": p.get("share"),
        }
    ),
    "stakeholder_types": lambda p, n: (
        _("%(group)s — its members are of %(count)s stakeholder types: at least %(min)s are asked.")
        % {"group": _the_group(p), "count": p.get("count"), "min": p.get("min")}
    ),
}


def flag_text(code: str, params: Mapping[str, Any], names: Names, *, group: str | None = None) -> str:
    """The balance rule a group as it stands breaks, in words; ``group`` (a ``group_label``) names it."""
    text = FLAGS.get(code)
    if text is None:
        return violation_text(code, params, names, group=group)
    return text({**params, "group_label": group} if group else params, names)


def violation_text(code: str, params: Mapping[str, Any], names: Names, *, group: str | None = None) -> str:
    """The broken rule in words; ``group`` (a ``group_label``) names the group a group-wide rule is about."""
    text = VIOLATIONS.get(code)
    if text is None:
        return _("A rule of group formation is broken (%(code)s).") % {"code": code}
    return text({**params, "group_label": group} if group else params, names)


def unplaced_text(code: str, params: Mapping[str, Any], names: Names) -> str:
    text = UNPLACED.get(code)
    return text(params, names) if text else _("No group could be formed (%(code)s).") % {"code": code}
