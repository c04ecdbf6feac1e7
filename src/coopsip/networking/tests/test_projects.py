"""Projects: a member puts one forward, others join its team or recommend someone, the owner organises a
partner meeting that is an event of the events engine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.events.models import Event, EventKind
from coopsip.networking.models import PartnerMeeting, Project, ProjectMember, ProjectRecommendation


def create(client: Any) -> Project:
    response = client.post(
        reverse("networking:project_create"),
        {"title": "Theatre on tour", "description": "A show that travels to villages.", "needs": "A van"},
    )
    project = Project.objects.get()
    assert response["Location"] == reverse("networking:project", kwargs={"pk": project.pk})
    return project


def test_a_member_puts_a_project_forward_others_join_and_recommend(
    member: Any, pieter: Any, camille: Any, on_commit: Any
) -> None:
    project = create(client_for(member))
    with on_commit():
        client_for(pieter).post(reverse("networking:project_join", kwargs={"pk": project.pk}))
        client_for(pieter).post(reverse("networking:project_join", kwargs={"pk": project.pk}))  # twice: once
    assert list(ProjectMember.objects.values_list("user__first_name", flat=True)) == ["Pieter"]
    (told,) = mail.outbox
    # The owner is told in her own language (Dutch, the default).
    assert told.to == ["lotte@example.org"] and "Pieter Test ging bij het team" in told.subject
    client_for(camille).post(
        reverse("networking:project_recommend", kwargs={"pk": project.pk}), {"text": "Ask Marie, she has a van."}
    )
    owner_page = client_for(member).get(reverse("networking:project", kwargs={"pk": project.pk})).content.decode()
    assert "Ask Marie, she has a van." in owner_page and "Pieter Test" in owner_page
    other_page = client_for(pieter).get(reverse("networking:project", kwargs={"pk": project.pk})).content.decode()
    assert "Ask Marie" not in other_page  # only the owner reads recommendations
    client_for(pieter).post(reverse("networking:project_join", kwargs={"pk": project.pk}), {"leave": "1"})
    assert not ProjectMember.objects.exists()
    assert ProjectRecommendation.objects.count() == 1


def test_the_owner_organises_a_partner_meeting_as_an_event(member: Any, pieter: Any) -> None:
    project = create(client_for(member))
    url = reverse("networking:project_meeting", kwargs={"pk": project.pk})
    assert client_for(pieter).get(url).status_code == 403
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"starts_at_0": day, "starts_at_1": "18:00", "ends_at_0": day, "ends_at_1": "20:00", "address": ""}
    response = client_for(member).post(url, data)
    assert response.status_code == 200 and "Choose a place or give an address." in response.content.decode()
    response = client_for(member).post(url, {**data, "address": "Rue Haute 1, Bruxelles"})
    event = Event.objects.get()
    assert response["Location"] == reverse("events:detail", kwargs={"pk": event.pk})
    assert event.kind == EventKind.PARTNER_MEETING and event.audience == "members"
    assert PartnerMeeting.objects.get().project == project
    page = client_for(pieter).get(reverse("networking:project", kwargs={"pk": project.pk})).content.decode()
    assert "Partner meeting: Theatre on tour" in page


def test_project_pages_are_for_members(member: Any, nonmember: Any, outsider: Any, staff: Any, board: Any) -> None:
    project = create(client_for(member))
    for name, kwargs in [("projects", {}), ("project", {"pk": project.pk})]:
        url = reverse(f"networking:{name}", kwargs=kwargs)
        assert client_for(None).get(url).status_code == 302
        for person, code in [(member, 200), (staff, 200), (nonmember, 403), (outsider, 403), (board, 403)]:
            assert client_for(person).get(url).status_code == code, (name, person)
    for name in ("project_join", "project_recommend"):
        url = reverse(f"networking:{name}", kwargs={"pk": project.pk})
        assert client_for(member).get(url).status_code == 405
        assert client_for(nonmember).post(url, {"text": "x"}).status_code == 403
    assert client_for(staff).get(reverse("networking:project_meeting", kwargs={"pk": project.pk})).status_code == 403
