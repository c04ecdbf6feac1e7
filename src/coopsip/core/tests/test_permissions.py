"""Every page, for every role: who reaches it, who is refused.

The table below is the contract; `test_every_url_is_in_the_table` fails when
a new page is added without saying who may see it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import client_for

OUR_NAMESPACES = {
    "home",
    "core",
    "surveys",
    "surveys_staff",
    "votes",
    "votes_staff",
    "accounts",
    "members",
    "editions",
    "editions_staff",
    "registrations",
    "invitations",
    "registrations_staff",
    "formation_staff",
    "events",
    "events_organise",
    "groupspace",
    "recommendations_public",
    "recommendations_staff",
    "recommendations_board",
    "recommendations_testprojects",
    "recommendations",
    "notifications",
    "groups",
    "groups_staff",
    "networking",
    "networking_staff",
    "contributions",
    "stats",
    "stats_staff",
    "api",
}
ROLES = ["visitor", "outsider", "nonmember", "member", "staff", "board"]
EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"visitor"}

# url name, kwargs, roles that get the page (others: login redirect or 403)
PAGES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("home:index", {}, EVERYONE),
    ("core:staff", {}, {"staff"}),
    ("accounts:profile", {}, LOGGED_IN),
    ("accounts:privacy", {}, LOGGED_IN),
    ("members:verify", {}, LOGGED_IN),
    ("members:register", {}, {"staff", "board"}),
    ("members:import", {}, {"staff"}),
    ("editions:archive", {}, EVERYONE),
    ("editions_staff:list", {}, {"staff"}),
    ("editions_staff:create", {}, {"staff"}),
    ("surveys:index", {}, LOGGED_IN),
    ("surveys_staff:list", {}, {"staff", "board"}),
    ("surveys_staff:create", {}, {"staff"}),
    ("votes:proposals", {}, {"member", "staff", "board"}),
    ("votes:proposal_new", {}, {"member", "board"}),
    ("votes:ballots", {}, {"member", "staff", "board"}),
    ("votes_staff:proposals", {}, {"staff"}),
    ("votes_staff:ballot_new", {}, {"staff"}),
    ("registrations_staff:editions", {}, {"staff"}),
    ("events:list", {}, EVERYONE),
    ("events:mine", {}, LOGGED_IN),
    # A member who organises an event or is a group's secretary reaches it too (events/tests/test_organise_access.py).
    ("events_organise:list", {}, {"staff"}),
    ("events_organise:create", {}, {"staff"}),
    ("events_organise:create_series", {}, {"staff"}),
    ("events_organise:circles", {}, {"staff"}),
    ("formation_staff:guide", {}, {"staff"}),
    ("notifications:preferences", {}, LOGGED_IN),
    ("home:me", {}, LOGGED_IN),
    ("recommendations_public:outcomes", {}, EVERYONE),
    ("recommendations_public:outcomes_csv", {}, EVERYONE),
    ("networking:search", {}, {"member", "staff"}),
    ("networking:publish", {}, {"member", "staff"}),
    ("networking:mine", {}, {"member", "staff"}),
    ("networking:profile_edit", {}, {"member", "staff"}),
    ("networking_staff:reports", {}, {"staff"}),
    ("networking:projects", {}, {"member", "staff"}),
    ("networking:project_create", {}, {"member", "staff"}),
    ("networking:sector_networks", {}, EVERYONE),
    ("networking:this_year", {}, EVERYONE),
    ("networking_staff:followup", {}, {"staff"}),
    ("networking_staff:followup_csv", {}, {"staff"}),
    ("networking_staff:followup_record", {}, {"staff"}),
    # Statistics and the public API (stats/tests, api/tests: small groups, CSV, the ZIP, bad parameters)
    ("stats:index", {}, EVERYONE),
    ("stats:overview_csv", {}, EVERYONE),
    ("stats:decisions_csv", {}, EVERYONE),
    ("stats:activity", {}, EVERYONE),
    ("stats:open_data", {}, EVERYONE),
    ("stats:open_data_zip", {}, EVERYONE),
    ("stats_staff:activity", {}, {"staff", "board"}),
    ("api:index", {}, EVERYONE),
    ("api:openapi", {}, EVERYONE),
    ("api:docs", {}, EVERYONE),
    ("api:console", {}, EVERYONE),
    ("api:editions", {}, EVERYONE),
    ("api:themes", {}, EVERYONE),
    ("api:phases", {}, EVERYONE),
    ("api:events", {}, EVERYONE),
    ("api:recommendations", {}, EVERYONE),
    ("api:statistics", {}, EVERYONE),
]
# Pages that only answer POST, and pages that need an object.
POST_ONLY = ["accounts:set_language", "accounts:export_data", "accounts:delete", "events:renew_calendar"]
# Pages of one object: their role tests live with the app
# (members: below; editions: editions/tests/test_public_pages.py and test_staff_access.py).
OBJECT_PAGES = [
    "members:import_detail",
    # A redirect to the person's registration or the current edition (home/tests/test_personal_links.py).
    "home:my_registration",
    # surveys/tests/test_views.py: the audience of each kind, the pilot, the link, staff and board on each page
    "surveys:answer",
    "surveys:answer_by_link",
    "surveys:results",
    "surveys_staff:builder",
    "surveys_staff:edit",
    "surveys_staff:question_edit",
    "surveys_staff:question_delete",
    "surveys_staff:question_move",
    "surveys_staff:results",
    "surveys_staff:export",
    "surveys_staff:publish",
    "surveys_staff:open_to_all",
    # votes/tests/test_views.py: proposals, ballots open and closed, the team's actions, every role
    "votes:proposal",
    "votes:support",
    "votes:ballot",
    "votes_staff:decide",
    "votes_staff:ballot",
    "votes_staff:paper",
    "votes_staff:hands",
    "votes_staff:count",
    "votes_staff:publish",
    "votes_staff:themes",
    # votes/tests/test_paper.py: the paper-ballot desk, every role
    "votes_staff:hand_out",
    # votes/tests/test_assembly.py: the ballot's general assembly (event), every role
    "votes_staff:link_event",
    "editions:detail",
    "editions:theme",
    "editions:faq",
    "editions:calendar",
    "editions_staff:dashboard",
    "editions_staff:edit",
    "editions_staff:copy",
    "editions_staff:publish",
    "editions_staff:unpublish",
    "editions_staff:history",
    "editions_staff:part_add",
    "editions_staff:part_edit",
    "editions_staff:part_delete",
    # registrations/tests/test_staff_access.py and test_invitations.py
    "registrations_staff:list",
    "registrations_staff:detail",
    "registrations_staff:demand",
    "registrations_staff:export",
    "registrations_staff:import",
    "registrations_staff:pool",
    "registrations_staff:invite",
    "invitations:detail",
    # formation/tests/test_staff_access.py (every role, method and unknown object) and test_staff_review.py
    "formation_staff:runs",
    "formation_staff:compare",
    "formation_staff:run",
    "formation_staff:move",
    "formation_staff:check",
    "formation_staff:rerun",
    "formation_staff:publish",
    "formation_staff:lock_group",
    "formation_staff:lock_member",
    # formation/tests/test_review_dialog.py
    "formation_staff:move_dialog",
    # registrations/tests/test_register.py and test_withdraw.py (a person's own registration)
    "registrations:register",
    "registrations:mine",
    "registrations:withdraw",
    # events/tests/test_public_pages.py, test_public_signup.py, test_public_feeds.py (events of each audience,
    # personal links and calendar keys) and test_organise_*.py (organisers, group officers, everyone else)
    "events:feed",
    "events:detail",
    "events:sign_up",
    "events:cancel",
    "events:calendar",
    "events:series",
    "events:series_calendar",
    "events:circle_calendar",
    "events:signup",
    "events:attachment",
    "events_organise:edit",
    "events_organise:cancel_event",
    "events_organise:attendees",
    "events_organise:export",
    "events_organise:sheet",
    "events_organise:cancel_signup",
    "events_organise:undo_cancel_signup",
    "events_organise:minutes",
    "events_organise:delete_attachment",
    "events_organise:guests",
    "events_organise:series_attendance",
    "events_organise:circle_attendance",
    "events_organise:circle_calendar_link",
    # groupspace/tests/test_access.py: every page for every role, officers, and ids of another group
    "groupspace:polls",
    "groupspace:poll_create",
    "groupspace:poll",
    "groupspace:poll_answer",
    "groupspace:poll_choose",
    "groupspace:documents",
    "groupspace:document_file",
    "groupspace:document_delete",
    "groupspace:threads",
    "groupspace:thread",
    "groupspace:guests",
]
# groups/tests/test_views.py and test_staff_views.py: every role, a member of group A on group B's pages by id,
# officers, advisors of the group's office, the board read-only
OBJECT_PAGES += [
    "groups:proposal",
    "groups:waiting_list",
    "groups:accept",
    "groups:decline",
    "groups:detail",
    "groups:invite",
    "groups_staff:overview",
    "groups_staff:export",
    "groups_staff:open_answers",
    "groups_staff:close",
    "groups_staff:merge",
    "groups_staff:move",
]
# networking/tests/test_access.py: every page of one offer, need, profile or conversation for every role,
# the author, the other person in a conversation, hidden and expired ones, the POST-only actions
OBJECT_PAGES += [
    "networking:detail",
    "networking:edit",
    "networking:withdraw",
    "networking:renew",
    "networking:contact",
    "networking:report",
    "networking:renew_link",
    "networking:thread",
    "networking:profile",
    "networking:save_search",
    "networking:delete_search",
    "networking_staff:hide",
    # networking/tests/test_projects.py
    "networking:project",
    "networking:project_join",
    "networking:project_recommend",
    "networking:project_meeting",
    # networking/tests/test_sector_networks.py and test_followup.py
    "networking:sector_network",
    "networking:sector_network_join",
    "networking:sector_network_leave",
    "networking:sector_network_manage",
    "networking:sector_network_decide",
    "networking:sector_network_remove",
    "networking_staff:followup_event",
]
# recommendations/tests/test_access.py: every page of the group's side for every role (a member of another
# group, the group's member, its secretary, its office's advisor, staff, the board on drafts), ids of another group
OBJECT_PAGES += [
    "recommendations:group",
    "recommendations:idea_create",
    "recommendations:draft_create",
    "recommendations:draft",
    "recommendations:draft_edit",
    "recommendations:versions",
    "recommendations:version",
    "recommendations:consent_open",
    "recommendations:consent",
    "recommendations:consent_close",
    "recommendations:submit",
    "recommendations:withdraw",
    "recommendations:reopen",
    "recommendations:contributions",
]
PUBLIC_HELPERS = ["accounts:places", "api:not_found"]
# stats/tests/test_stats.py and test_activity.py (per role, exact for staff and the board), api/tests/test_api.py
OBJECT_PAGES += [
    "stats:edition",
    "stats:edition_csv",
    "stats:activity_csv",
    "stats_staff:current",
    "stats_staff:edition",
    "stats_staff:csv",
    "stats_staff:activity_csv",
    "stats_staff:refresh",
    "stats_staff:rebuild_open_data",
    "api:edition",
    "api:recommendation",
]
# contributions/tests/test_access.py: every role on each page and POST action (sharing: people linked to the
# register, staff and invited experts and partners; moderation: staff)
OBJECT_PAGES += [
    "contributions:theme",
    "contributions:detail",
    "contributions:useful",
    "contributions:file",
    "contributions:highlight",
    "contributions:hide",
    "contributions:move",
    "contributions:invited",
]
# recommendations/tests/test_followup_views.py: visitors on unpublished decisions and publications, the board on
# drafts, members of another group, staff and board on each page, the wrong method
OBJECT_PAGES += [
    "recommendations_public:detail",
    "recommendations_public:publication",
    "recommendations_public:publication_pdf",
    "recommendations_staff:themes",
    "recommendations_staff:theme",
    "recommendations_staff:merge",
    "recommendations_staff:keep",
    "recommendations_staff:synthesis",
    # recommendations/tests/test_search_and_info_moments.py: every role but staff, GET and POST
    "recommendations_staff:info_moment",
    "recommendations_staff:edit",
    "recommendations_staff:comment",
    "recommendations_staff:act",
    "recommendations_staff:project",
    "recommendations_staff:create_project",
    "recommendations_staff:publication",
    "recommendations_board:bundle",
    "recommendations_board:bundle_pdf",
    "recommendations_board:publish",
    "recommendations_board:decide_synthesis",
    "recommendations_board:decide_recommendation",
    "recommendations_testprojects:group",
    "recommendations_testprojects:propose",
    "recommendations_testprojects:detail",
    "recommendations_testprojects:expense",
    "recommendations_testprojects:log",
    "recommendations_testprojects:evaluation",
    "recommendations_testprojects:approve",
    "recommendations_testprojects:refuse",
    "recommendations_testprojects:answer",
    "recommendations_testprojects:overview",
]


def _our_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in OUR_NAMESPACES and pattern.name:
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_table() -> None:
    listed = {name for name, _kwargs, _roles in PAGES} | set(POST_ONLY) | set(OBJECT_PAGES) | set(PUBLIC_HELPERS)
    assert _our_url_names() == listed


@pytest.mark.parametrize(("name", "kwargs", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_per_role(personas: dict[str, Any], name: str, kwargs: dict[str, Any], allowed: set[str]) -> None:
    url = reverse(name, kwargs=kwargs)
    for role in ROLES:
        response = client_for(personas[role]).get(url)
        if role in allowed:
            assert response.status_code == 200, f"{role} should see {name}"
        elif role == "visitor":
            assert response.status_code == 302, f"a visitor is sent to log in from {name}"
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403, f"{role} must not see {name}"


@pytest.mark.parametrize("name", ["accounts:export_data", "accounts:delete", "events:renew_calendar"])
def test_post_only_pages_refuse_get_and_visitors(personas: dict[str, Any], name: str) -> None:
    url = reverse(name)
    assert client_for(personas["member"]).get(url).status_code == 405
    response = client_for(None).post(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_import_report_is_for_staff_only(personas: dict[str, Any]) -> None:
    from coopsip.members.services import import_register

    result = import_register(
        data=b"member_number,first_name,last_name,status\n1,A,B,member\n",
        file_name="a.csv",
        imported_by=personas["staff"],
    )
    url = reverse("members:import_detail", kwargs={"pk": result.pk})
    for role in ROLES:
        response = client_for(personas[role]).get(url)
        expected = {"staff": 200, "visitor": 302}.get(role, 403)
        assert response.status_code == expected, role


def test_an_unknown_import_report_is_404(staff: Any) -> None:
    assert client_for(staff).get(reverse("members:import_detail", kwargs={"pk": 999})).status_code == 404


def test_admin_is_refused_to_members(member: Any) -> None:
    response = client_for(member).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
