"""Demo group spaces: a date poll with answers, documents and a discussion with replies, per group.

The groups are the sector network of ``demo.events`` and the working groups
of ``demo.groups`` that meet (its ``active_circles()`` that have meetings: the
stalled group is left empty, as a stalled group would be).

The poll stays open (choosing a date would add a meeting; the working groups'
past meetings come from ``demo.groups``); the documents are links (no file is
written to the media folder by the demo). Everything goes through the group
space's services without notifying anyone (the people are made up). A circle
that already has a poll is left as it is: loading twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Circle, CircleRole
from coopsip.groupspace import services
from coopsip.groupspace.models import Availability, DatePoll, Document, Post, Thread

SEED = 2028
MAX_CIRCLES = 6
# The name demo.events gives its sector network.
SECTOR_NETWORK = "Sectornetwerk"

# A date poll keeps one title, typed by its organiser in their own language.
POLL_TITLES = {"nl": "Volgende bijeenkomst: ideeën", "fr": "Prochaine réunion : idées", "en": "Next meeting: ideas"}

DOCUMENTS = [
    ("Shared notes (pad)", "https://pad.example.org/p/coopsip-demo-{pk}"),
    ("Smart in Progress: method of the working groups", "https://example.org/smart-in-progress/method.pdf"),
    ("Reading list on the theme", "https://example.org/smart-in-progress/reading-list"),
]

THREADS = [
    (
        "Agenda of our next meeting",
        "Here is a first proposal:\n\n1. Round of news\n2. What we learnt since last time\n3. **Ideas** to explore\n\n"
        "Add what is missing below.",
        [
            "Could we add ten minutes on the *shared price list*?",
            "Good idea. I will bring the figures of last year.",
            "Fine for me. See you then!",
        ],
    ),
    (
        "Experts we could invite",
        "Who knows someone who could tell us about this from practice? "
        "The moderator can invite a guest to one meeting through **Invite a guest**.",
        [
            "A partner of the cooperative in Gent works on exactly this: I can ask her.",
            "Yes please. Ask if she can come to the meeting after next.",
        ],
    ),
]


def _circles() -> list[Circle]:
    sector_networks = list(Circle.objects.filter(name__startswith=SECTOR_NETWORK).order_by("pk"))
    try:
        from coopsip.demo.groups import active_circles
    except ImportError:  # the working groups' demo is not there: the sector network only
        return sector_networks
    meeting = [circle for circle in active_circles() if circle.events.exists()]
    return (sector_networks + meeting)[:MAX_CIRCLES]


def load_groupspace() -> dict[str, int]:
    """Fill the group spaces of the demo's circles once; returns counts."""
    for circle in _circles():
        if not circle.date_polls.exists():
            _fill(circle)
    return {
        "date_polls": DatePoll.objects.count(),
        "group_documents": Document.objects.count(),
        "discussion_threads": Thread.objects.count(),
        "discussion_posts": Post.objects.count(),
    }


def _fill(circle: Circle) -> None:
    rng = random.Random(f"{SEED}-{circle.pk}")  # noqa: S311 (demo data, not security)
    memberships = list(circle.memberships.select_related("user").order_by("joined_at", "pk"))
    people = [m.user for m in memberships]
    officers = [m.user for m in memberships if m.role in (CircleRole.MODERATOR, CircleRole.SECRETARY)] or people[:1]
    organiser = officers[0]
    today = timezone.localdate()
    days = [today + timedelta(days=offset) for offset in (10, 12, 17)]
    options = [
        (datetime.combine(day, time(hour), tzinfo=BRUSSELS), datetime.combine(day, time(hour + 3), tzinfo=BRUSSELS))
        for day, hour in zip(days, (18, 9, 18), strict=True)
    ]
    title = POLL_TITLES.get(organiser.preferred_language, POLL_TITLES["nl"])
    poll = services.create_poll(by=organiser, circle=circle, title=title, options=options, notify=False)
    poll_options = list(poll.options.all())
    # Most members answered; the last two have not yet (the personal home asks them).
    for person in people[:-2]:
        weights = [0.6, 0.25, 0.15]
        answers = {
            option.pk: rng.choices([Availability.YES, Availability.IF_NEED_BE, Availability.NO], weights)[0]
            for option in poll_options
        }
        services.answer_poll(by=person, poll=poll, answers=answers)
    for (title, url), person in zip(DOCUMENTS, [organiser, *people], strict=False):
        services.add_document(by=person, circle=circle, title=title, url=url.format(pk=circle.pk))
    for index, (title, body, replies) in enumerate(THREADS):
        starter = officers[index % len(officers)]
        thread = services.start_thread(by=starter, circle=circle, title=title, body=body, notify=False)
        others = [person for person in people if person != starter]
        for number, text in enumerate(replies):
            author = others[number % len(others)] if others else starter
            services.reply(by=author, thread=thread, body=text, notify=False)
