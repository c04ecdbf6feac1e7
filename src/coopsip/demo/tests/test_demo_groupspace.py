"""The demo's group spaces: what a newcomer finds in a group after `make run`."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.demo.groupspace import load_groupspace
from coopsip.events.models import Circle
from coopsip.groupspace.home import open_polls
from coopsip.groupspace.models import DateAnswer, DatePoll, Document, Thread
from coopsip.groupspace.selectors import ranked_options
from coopsip.notifications.models import PendingNotification

pytestmark = pytest.mark.django_db


def _sector_network() -> Circle:
    return Circle.objects.get(name__startswith="Sectornetwerk grafisch ontwerp")


def test_the_sector_network_has_an_open_date_poll_with_answers_and_a_best_date(demo: dict[str, int]) -> None:
    poll = DatePoll.objects.get(circle=_sector_network())
    assert poll.is_open and poll.options.count() == 3
    ranked = ranked_options(poll)
    assert ranked[0].best and ranked[0].yes >= 1
    members = poll.circle.memberships.count()
    assert DateAnswer.objects.filter(option__poll=poll).values("user").distinct().count() == members - 2


def test_a_member_who_has_not_answered_is_asked_on_the_personal_home(demo: dict[str, int]) -> None:
    poll = DatePoll.objects.get(circle=_sector_network())
    answered = DateAnswer.objects.filter(option__poll=poll).values("user")
    waiting = User.objects.filter(circle_memberships__circle=poll.circle).exclude(pk__in=answered).first()
    assert waiting is not None
    assert [item.title for item in open_polls(waiting)] == [f"When can you come? {poll.title}"]


def test_the_groups_share_documents_and_discuss_with_replies(demo: dict[str, int]) -> None:
    circle = _sector_network()
    documents = Document.objects.filter(circle=circle)
    # The group space's three documents, beside the networking demo's vademecum links of the same network.
    group_space = {"Reading list on the theme", "Smart in Progress: method of the working groups", "Shared notes (pad)"}
    assert group_space <= set(documents.values_list("title", flat=True)) and all(d.added_by_id for d in documents)
    threads = Thread.objects.filter(circle=circle)
    assert threads.count() == 2
    assert all(thread.post_count >= 3 and thread.posts.count() == thread.post_count for thread in threads)


def test_the_working_groups_that_meet_get_a_space_and_the_stalled_one_not(demo: dict[str, int]) -> None:
    from coopsip.groups.models import GroupStatus, WorkingGroup

    active = WorkingGroup.objects.filter(status=GroupStatus.ACTIVE, circle__isnull=False).select_related("circle")
    meeting = {group.circle_id for group in active if group.circle.events.exists()}
    stalled = {group.circle_id for group in active} - meeting
    filled = set(DatePoll.objects.values_list("circle_id", flat=True))
    assert len(meeting) == 3 and meeting <= filled
    assert stalled and not stalled & filled
    # Besides the discussions of ideas for recommendations (demo.recommendations_groups).
    assert Thread.objects.filter(circle_id__in=meeting, idea__isnull=True).count() == 2 * len(meeting)


def test_the_demo_group_spaces_tell_nobody_and_load_once(demo: dict[str, int]) -> None:
    assert not OutgoingEmail.objects.filter(key__startswith="notify:").exists()
    assert not PendingNotification.objects.exists()
    # The counts of the whole demo, with the discussions of the ideas for recommendations (demo.recommendations_groups).
    before = {k: demo[k] for k in ("date_polls", "group_documents", "discussion_threads", "discussion_posts")}
    assert load_groupspace() == before


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_date_poll_reads_as_its_organiser_wrote_it_not_in_english(demo: dict[str, int], language: str) -> None:
    poll = DatePoll.objects.select_related("created_by").get(circle=_sector_network())
    assert poll.created_by is not None and poll.created_by.preferred_language == "nl"
    with translation.override(language):
        url = reverse("groupspace:polls", kwargs={"circle_pk": poll.circle_id})
    page = client_for(poll.created_by).get(url).content.decode()
    assert "Volgende bijeenkomst: ideeën" in page and "Next meeting: ideas" not in page
