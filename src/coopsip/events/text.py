"""Single-line texts: titles, addresses and names that end up in calendar lines and mail headers.

A line break in an event's title once made its iCalendar file fail, and with
it every feed that held the event. Every service that stores a single-line
text passes it through ``single_line`` (silent normalisation: a person who
pastes a title with a line break gets the title on one line, not an error);
the admin's place form, which has no service, refuses them with
``refuse_control_characters``. Rows saved before (or by a script) are made
safe again where they are written out (``ical.py``).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coopsip.editions.phases import BRUSSELS

# Line breaks of every kind (also NEL and the Unicode line and paragraph separators) and tabs.
_BREAKS = re.compile(r" *[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+ *")
# The other C0 and C1 control characters, and DEL.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a multi-line text, the control characters other than the line break and the tab.
_CONTROLS_BUT_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def single_line(text: str) -> str:
    """``text`` on one line: each line break or tab becomes one space, other control characters go; trimmed."""
    return _CONTROLS.sub("", _BREAKS.sub(" ", text)).strip()


def multi_line(text: str) -> str:
    """``text`` with its line breaks as ``\\n`` and without other control characters (a tab stays)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROLS_BUT_BREAKS.sub("", text)


def refuse_control_characters(value: str) -> None:
    """A model field's validator: refuse line breaks, tabs and other control characters."""
    if _CONTROLS.search(value) or "\u2028" in value or "\u2029" in value:
        raise ValidationError(
            _("Write this on one line, without line breaks, tabs or other invisible control characters."),
            code="control_characters",
        )


def day_time_place(event: Any) -> str:
    """When and where, on one line, as the reader's language writes it: "Tue 15 Dec, 19:00–21:00 · Brussels office".

    For the personal home's items about a meeting or an event. The day is the events' ``EVENT_DAY_FORMAT`` (the
    language's own abbreviations), the time is Brussels time, the place is the known place's name or the other
    address, or "online"; a hybrid event says "and online". Reads ``event.place``: select it with the event.
    """
    start = event.starts_at.astimezone(BRUSSELS)
    end = event.ends_at.astimezone(BRUSSELS)
    day = formats.date_format(start, "EVENT_DAY_FORMAT")
    if start.date() == end.date():
        moment = gettext("%(day)s, %(start)s–%(end)s") % {
            "day": day,
            "start": formats.time_format(start, "TIME_FORMAT"),
            "end": formats.time_format(end, "TIME_FORMAT"),
        }
    else:
        moment = gettext("%(day)s, %(start)s") % {"day": day, "start": formats.time_format(start, "TIME_FORMAT")}
    place_name = event.place.name if event.place is not None else single_line(event.address)
    if not place_name:
        where = gettext("online")
    elif event.attendance == "hybrid":
        where = gettext("%(place)s and online") % {"place": place_name}
    else:
        where = place_name
    return f"{moment} · {where}"
