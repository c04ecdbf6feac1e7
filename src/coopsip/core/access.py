"""Who may do what: every access rule of coopsip lives in this module.

Rules are predicates from django-rules, registered as permissions, so a view
asks ``require(request.user, "members.import_register")`` and the admin, the
templates (``{% has_perm %}``) and scripts ask the same question the same way.
Per-object roles (the moderator or secretary of one group) are predicates
that take the object as second argument: they fit here later without any view
having to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.core.exceptions import PermissionDenied

STAFF_GROUP = "cooperative-life"
BOARD_GROUP = "board"


def _in_group(user: Any, name: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cached per request on the user object: menus ask this many times.
    cache = getattr(user, "_coopsip_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._coopsip_groups = cache
    return name in cache


@rules.predicate
def is_staff_member(user: Any) -> bool:
    """A member of the Cooperative Life team, which runs the process."""
    return _in_group(user, STAFF_GROUP)


@rules.predicate
def is_board_member(user: Any) -> bool:
    return _in_group(user, BOARD_GROUP)


def board_members_among(user_ids: Iterable[int]) -> set[int]:
    """The users among ``user_ids`` who are board members (``is_board_member``), in one query for all."""
    from django.contrib.auth import get_user_model

    memberships = get_user_model().groups.through.objects
    return set(
        memberships.filter(group__name=BOARD_GROUP, user_id__in=list(user_ids)).values_list("user_id", flat=True)
    )


@rules.predicate
def is_member(user: Any) -> bool:
    """A shareholding member (vennoot) whose account is linked to the register."""
    if not user.is_authenticated:
        return False
    entry = getattr(user, "register_entry", None)
    return entry is not None and entry.is_member


@rules.predicate
def is_verified_person(user: Any) -> bool:
    """Anyone whose account is linked to the register: a member or a non-member user."""
    return user.is_authenticated and getattr(user, "register_entry", None) is not None


is_authenticated = rules.is_authenticated

# Member register
rules.add_perm("members.import_register", is_staff_member)
rules.add_perm("members.view_register", is_staff_member | is_board_member)
rules.add_perm("members.verify_membership", is_authenticated & ~is_verified_person)

# Own account
rules.add_perm("accounts.edit_profile", is_authenticated)
rules.add_perm("accounts.export_data", is_authenticated)
rules.add_perm("accounts.delete_account", is_authenticated)
# A board member volunteers in their profile to sit in working groups (the 2017-2018 format).
rules.add_perm("accounts.volunteer_as_board_member", is_board_member)

# Staff area
rules.add_perm("core.view_staff_area", is_staff_member)


@rules.predicate
def is_own(user: Any, obj: Any) -> bool:
    """The object (a registration, an invitation) belongs to ``user``."""
    return obj is not None and user.is_authenticated and getattr(obj, "user_id", None) == user.pk


# Registrations: a person sees and changes their own; staff see all.
rules.add_perm("registrations.view_registration", is_own | is_staff_member)
rules.add_perm("registrations.change_registration", is_own)
rules.add_perm("registrations.manage", is_staff_member)
rules.add_perm("registrations.answer_invitation", is_own)
rules.add_perm("formation.manage", is_staff_member)

# Editions, phases, themes: staff manage them, and only staff see drafts.
rules.add_perm("editions.manage", is_staff_member)
rules.add_perm("editions.preview", is_staff_member)


# Events and meetings. ``obj`` is an events.Event (or a Circle for the group rules).
def _circle_role(user: Any, circle_id: int | None) -> str | None:
    if circle_id is None or not user.is_authenticated:
        return None
    from coopsip.events.models import CircleMember

    return CircleMember.objects.filter(circle_id=circle_id, user=user).values_list("role", flat=True).first()


def _holds_seat(user: Any, event: Any) -> bool:
    from coopsip.events.models import SEATED

    return user.is_authenticated and event.signups.filter(user=user, status__in=SEATED).exists()


@rules.predicate
def organises_event(user: Any, event: Any) -> bool:
    """The event's organiser, or the moderator or secretary of its group."""
    if event is None or not user.is_authenticated:
        return False
    if event.organiser_id == user.pk:
        return True
    return _circle_role(user, event.circle_id) in ("moderator", "secretary")


@rules.predicate
def may_see_event(user: Any, event: Any) -> bool:
    """Public events: everyone. Members' events: members and those signed up. Group meetings: the group."""
    if event is None:
        return False
    if event.audience == "public":
        return True
    if not user.is_authenticated:
        return False
    if event.audience == "members" and is_member(user):
        return True
    if event.audience == "circle" and _circle_role(user, event.circle_id) is not None:
        return True
    return event.signups.filter(user=user).exists()


@rules.predicate
def holds_seat(user: Any, event: Any) -> bool:
    return event is not None and _holds_seat(user, event)


@rules.predicate
def in_events_circle(user: Any, event: Any) -> bool:
    return event is not None and _circle_role(user, event.circle_id) is not None


@rules.predicate
def left_events_circle(user: Any, event: Any) -> bool:
    """A group's meeting, and the person is no longer in the group (their past seats stay on record)."""
    return event is not None and event.circle_id is not None and _circle_role(user, event.circle_id) is None


@rules.predicate
def officer_of_circle(user: Any, circle: Any) -> bool:
    return circle is not None and _circle_role(user, circle.pk) in ("moderator", "secretary")


@rules.predicate
def officer_of_some_circle(user: Any) -> bool:
    """The moderator or secretary of at least one group (they plan that group's meetings)."""
    if not user.is_authenticated:
        return False
    from coopsip.events.models import CircleMember

    return CircleMember.objects.filter(user=user, role__in=("moderator", "secretary")).exists()


rules.add_perm("events.create", is_staff_member)
# A group's moderator and secretary create its meetings (members-only, for that group), not other events.
rules.add_perm("events.create_meeting", is_staff_member | officer_of_some_circle)
rules.add_perm("events.create_for_circle", is_staff_member | officer_of_circle)
rules.add_perm("events.view_event", is_staff_member | organises_event | may_see_event)
rules.add_perm("events.organise", is_staff_member | organises_event)
# A group's video link stops for a person who left the group, also for past meetings (a link is often reused).
rules.add_perm("events.view_video_link", is_staff_member | organises_event | (holds_seat & ~left_events_circle))
# Minutes of a group's meeting: the group and staff; of another event: those who held a seat.
rules.add_perm("events.view_minutes", is_staff_member | organises_event | in_events_circle | holds_seat)
rules.add_perm("events.view_attendance", is_staff_member | officer_of_circle)
rules.add_perm("events.view_own_events", is_authenticated)


# A group's space (finding a date, documents, discussion). ``obj`` is the events.Circle.
@rules.predicate
def in_circle(user: Any, circle: Any) -> bool:
    return circle is not None and _circle_role(user, circle.pk) is not None


@rules.predicate
def added_document(user: Any, document: Any) -> bool:
    """The person who added the document, while they are still in its group."""
    return (
        document is not None
        and user.is_authenticated
        and document.added_by_id == user.pk
        and _circle_role(user, document.circle_id) is not None
    )


@rules.predicate
def officer_of_documents_circle(user: Any, document: Any) -> bool:
    return document is not None and _circle_role(user, document.circle_id) in ("moderator", "secretary")


# Members read and write; the board reads; the moderator and secretary plan meetings and invite guests.
@rules.predicate
def advises_circle(user: Any, circle: Any) -> bool:
    """The advisor of the office where the circle's working group meets (see ``advises_group`` below)."""
    if circle is None or not user.is_authenticated:
        return False
    from coopsip.groups.models import OfficeAdvisor, WorkingGroup

    office = WorkingGroup.objects.filter(circle_id=circle.pk).values_list("office_id", flat=True).first()
    return office is not None and OfficeAdvisor.objects.filter(user=user, office_id=office).exists()


rules.add_perm("groupspace.view", is_staff_member | is_board_member | in_circle | advises_circle)
rules.add_perm("groupspace.post", is_staff_member | in_circle)
rules.add_perm("groupspace.organise", is_staff_member | officer_of_circle)
rules.add_perm("groupspace.delete_document", is_staff_member | officer_of_documents_circle | added_document)
rules.add_perm("notifications.edit_preferences", is_authenticated)


# Surveys. Who may *answer* is the survey's audience, checked by one selector
# (surveys.selectors.answer_refusal) on every page and in the answer service.
@rules.predicate
def reads_published_survey_results(user: Any, survey: Any) -> bool:
    """Published results: the survey's audience (the whole of it, not only a pilot's segment)."""
    if survey is None:
        return False
    from coopsip.surveys.selectors import may_read_results

    return may_read_results(survey, user)


rules.add_perm("surveys.manage", is_staff_member)
rules.add_perm("surveys.view_all_results", is_staff_member | is_board_member)
rules.add_perm("surveys.view_results", is_staff_member | is_board_member | reads_published_survey_results)

# Theme proposals and the general assembly's vote: members propose, support and vote (one member,
# one vote, in the ballot's window: votes.services); the board adds its own proposals; the team runs it.
rules.add_perm("votes.view_proposals", is_member | is_staff_member | is_board_member)
rules.add_perm("votes.propose", is_member)
rules.add_perm("votes.support", is_member)
rules.add_perm("votes.propose_as_board", is_board_member)
rules.add_perm("votes.manage", is_staff_member)
rules.add_perm("votes.vote", is_member)
rules.add_perm("votes.view_ballots", is_member | is_staff_member | is_board_member)


@rules.predicate
def ballot_result_published(user: Any, ballot: Any) -> bool:
    return ballot is not None and ballot.published_at is not None


# A ballot's counted totals (never anyone's choice): the team and the board as soon as it is counted,
# whoever reads the ballot once the result is published.
rules.add_perm("votes.view_result", is_staff_member | is_board_member | ballot_result_published)


# Working groups. ``obj`` is a groups.WorkingGroup (a groups.Seat for answering a proposal).
def _seat_role(user: Any, group: Any) -> str | None:
    """The person's role in the group when they accepted their seat in it, else None (cached per request)."""
    if group is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_coopsip_seat_roles", {})
    if group.pk not in cache:
        from coopsip.groups.models import Seat, SeatState

        cache[group.pk] = (
            Seat.objects.filter(group_id=group.pk, registration__user=user, state=SeatState.ACCEPTED)
            .values_list("role", flat=True)
            .first()
        )
    role: str | None = cache[group.pk]
    return role


def _advised_offices(user: Any) -> set[int]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_coopsip_advised", None)
    if cache is None:
        from coopsip.groups.models import OfficeAdvisor

        cache = set(OfficeAdvisor.objects.filter(user=user).values_list("office_id", flat=True))
        user._coopsip_advised = cache
    return cache


@rules.predicate
def is_group_member(user: Any, group: Any) -> bool:
    return _seat_role(user, group) is not None


@rules.predicate
def is_group_officer(user: Any, group: Any) -> bool:
    """The group's moderator or secretary."""
    return _seat_role(user, group) in ("moderator", "secretary")


@rules.predicate
def advises_group(user: Any, group: Any) -> bool:
    """The advisor the team assigned to the office where the group meets (video groups have none)."""
    return group is not None and group.office_id is not None and group.office_id in _advised_offices(user)


@rules.predicate
def is_advisor(user: Any) -> bool:
    return bool(_advised_offices(user))


@rules.predicate
def owns_seat(user: Any, seat: Any) -> bool:
    return seat is not None and user.is_authenticated and seat.registration.user_id == user.pk


rules.add_perm("groups.view_group", is_staff_member | is_board_member | advises_group | is_group_member)
rules.add_perm("groups.invite", is_group_officer)
rules.add_perm("groups.answer", owns_seat)
# The overview of an edition's groups: the team acts on it; the board and advisors read it.
rules.add_perm("groups.view_overview", is_staff_member | is_board_member | is_advisor)
rules.add_perm("groups.manage", is_staff_member)
rules.add_perm("core.view_personal_home", is_authenticated)


# Recommendations on the group's side (ideas, drafts, versions, consent). ``obj`` is a groups.WorkingGroup
# for the group's pages, a recommendations.Recommendation otherwise. Drafts: the group, its office's advisor
# and staff, never the board; consent answers: the group only.
def _recommendations_group(recommendation: Any) -> Any:
    return recommendation.group if recommendation is not None and recommendation.group_id else None


@rules.predicate
def in_drafting_group(user: Any, recommendation: Any) -> bool:
    """A member (accepted seat) of the group that writes the recommendation."""
    return _seat_role(user, _recommendations_group(recommendation)) is not None


@rules.predicate
def leads_drafting_group(user: Any, recommendation: Any) -> bool:
    """The moderator or secretary of the group that writes the recommendation."""
    return _seat_role(user, _recommendations_group(recommendation)) in ("moderator", "secretary")


@rules.predicate
def advises_drafting_group(user: Any, recommendation: Any) -> bool:
    return advises_group(user, _recommendations_group(recommendation))


@rules.predicate
def given_to_the_team(user: Any, recommendation: Any) -> bool:
    """Submitted, and not withdrawn: staff and the board read it from then on."""
    return recommendation is not None and recommendation.status in (
        "submitted",
        "in_synthesis",
        "synthesised",
        "decided",
    )


rules.add_perm("recommendations.view_group_work", is_staff_member | advises_group | is_group_member)
rules.add_perm("recommendations.add_idea", is_group_member)
rules.add_perm("recommendations.start_draft", is_group_officer)
rules.add_perm(
    "recommendations.view_draft",
    is_staff_member | advises_drafting_group | in_drafting_group | (is_board_member & given_to_the_team),
)
rules.add_perm("recommendations.edit_draft", in_drafting_group)
rules.add_perm("recommendations.lead_draft", leads_drafting_group)
rules.add_perm("recommendations.view_consent", in_drafting_group)
rules.add_perm("recommendations.answer_consent", in_drafting_group)


# Recommendations after the group (synthesis, the board, follow-up, test projects, the publication).
# ``obj`` is a recommendations.Recommendation, Synthesis, TestProject or a groups.WorkingGroup as named.
@rules.predicate
def recommendation_decision_published(user: Any, recommendation: Any) -> bool:
    """The board's decision on it (or on the synthesis it went into) is published: everyone reads its journey."""
    if recommendation is None:
        return False
    from coopsip.recommendations.selectors_followup import may_be_seen_in_public

    return may_be_seen_in_public(recommendation)


@rules.predicate
def recommendation_submitted(user: Any, recommendation: Any) -> bool:
    """The group gave it to the team and did not take it back (staff and the board never read drafts)."""
    from coopsip.recommendations.selectors_followup import SUBMITTED_OR_LATER

    return recommendation is not None and recommendation.status in SUBMITTED_OR_LATER


@rules.predicate
def in_recommendations_group(user: Any, recommendation: Any) -> bool:
    group = getattr(recommendation, "group", None)
    return group is not None and (_seat_role(user, group) is not None or advises_group(user, group))


@rules.predicate
def may_read_synthesis(user: Any, synthesis: Any) -> bool:
    """A member of a group whose work went in, or any member once it is open to every member."""
    if synthesis is None or not user.is_authenticated:
        return False
    if synthesis.comments_open and is_member(user):
        return True
    from coopsip.groups.models import Seat, SeatState

    groups = synthesis.sources.values("group_id")
    return Seat.objects.filter(group_id__in=groups, registration__user=user, state=SeatState.ACCEPTED).exists()


@rules.predicate
def may_comment_synthesis(user: Any, synthesis: Any) -> bool:
    from coopsip.recommendations.services_followup import may_comment

    return synthesis is not None and may_comment(user, synthesis)


@rules.predicate
def in_test_projects_group(user: Any, test_project: Any) -> bool:
    return test_project is not None and _seat_role(user, test_project.group) is not None


@rules.predicate
def advises_test_projects_group(user: Any, test_project: Any) -> bool:
    return test_project is not None and advises_group(user, test_project.group)


@rules.predicate
def publication_published(user: Any, edition: Any) -> bool:
    from coopsip.recommendations.models import Publication

    return edition is not None and Publication.objects.filter(edition=edition, published_at__isnull=False).exists()


rules.add_perm("recommendations.synthesise", is_staff_member)
rules.add_perm("recommendations.view_synthesis", is_staff_member | is_board_member | may_read_synthesis)
rules.add_perm("recommendations.comment_synthesis", may_comment_synthesis)
rules.add_perm("recommendations.view_bundle", is_staff_member | is_board_member)
rules.add_perm("recommendations.decide", is_staff_member | is_board_member)
rules.add_perm("recommendations.manage_projects", is_staff_member)
rules.add_perm(
    "recommendations.view_journey",
    recommendation_decision_published
    | ((is_staff_member | is_board_member) & recommendation_submitted)
    | (in_recommendations_group & recommendation_submitted),
)
rules.add_perm("recommendations.propose_test_project", is_group_member)
rules.add_perm(
    "recommendations.view_test_project",
    is_staff_member | is_board_member | in_test_projects_group | advises_test_projects_group,
)
rules.add_perm("recommendations.run_test_project", in_test_projects_group)
rules.add_perm("recommendations.manage_test_projects", is_staff_member)
rules.add_perm("recommendations.view_publication", is_staff_member | publication_published)
rules.add_perm("recommendations.publish", is_staff_member)


# Networking (offers, needs, profiles, contacts). Members use it; profiles are never shown to visitors.
@rules.predicate
def wrote_listing(user: Any, listing: Any) -> bool:
    return listing is not None and user.is_authenticated and listing.author_id == user.pk


@rules.predicate
def shows_network_profile(user: Any, profile: Any) -> bool:
    """A profile whose owner opted in (members only reach it: see the rule below)."""
    return profile is not None and profile.is_visible


@rules.predicate
def in_contact_thread(user: Any, thread: Any) -> bool:
    """The member who wrote, or the author of the offer or need they wrote about."""
    return thread is not None and user.is_authenticated and user.pk in (thread.sender_id, thread.listing.author_id)


rules.add_perm("networking.use", is_member | is_staff_member)
rules.add_perm("networking.view_profile", is_own | ((is_member | is_staff_member) & shows_network_profile))
rules.add_perm("networking.change_listing", wrote_listing)
rules.add_perm("networking.view_thread", in_contact_thread)
rules.add_perm("networking.moderate", is_staff_member)


@rules.predicate
def owns_project(user: Any, project: Any) -> bool:
    return project is not None and user.is_authenticated and project.owner_id == user.pk


rules.add_perm("networking.change_project", owns_project)


# Sector networks (a Circle marked as a network): the list and pages are public; members ask to join; the
# network's moderators and secretary (its coordinators) and staff answer requests and take people out.
@rules.predicate
def coordinates_network(user: Any, network: Any) -> bool:
    return network is not None and _circle_role(user, network.circle_id) in ("moderator", "secretary")


@rules.predicate
def in_sector_network(user: Any, network: Any) -> bool:
    return network is not None and _circle_role(user, network.circle_id) is not None


rules.add_perm("networking.view_sector_networks", rules.always_allow)
rules.add_perm("networking.join_sector_network", is_member & ~in_sector_network)
rules.add_perm("networking.leave_sector_network", in_sector_network)
rules.add_perm("networking.manage_sector_network", is_staff_member | coordinates_network)
# The follow-up of networking events: the dashboard, its CSV and the events' level are for staff; the
# aggregate "networking this year" page is public (no figure for fewer than five people).
rules.add_perm("networking.follow_up_events", is_staff_member)


# Statistics and open data (issue 19): everyone reads the public figures (small groups suppressed);
# staff and the board read the exact detail and the funnel; staff recompute and rebuild the open data.
rules.add_perm("stats.view_public", rules.always_allow)
rules.add_perm("stats.view_detail", is_staff_member | is_board_member)
rules.add_perm("stats.manage", is_staff_member)


def require(user: Any, perm: str, obj: object | None = None) -> None:
    """Raise PermissionDenied (HTTP 403) unless ``user`` has ``perm`` on ``obj``.

    The exception names ``perm``: the 403 page tells who the page is for.
    """
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)
