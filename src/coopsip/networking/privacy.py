"""Personal data of the networking app: the profile, offers and needs, contacts, reports and saved searches.

A deleted account takes all of it: the listings (with the contacts others started about them and their
messages), the person's own contacts and messages, reports and saved searches. Messages others wrote to
the person in their threads go with the thread: a conversation with a deleted account has no use.
"""

from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.networking.models import (
    ContactMessage,
    ContactThread,
    JoinRequest,
    Listing,
    Profile,
    Project,
    ProjectMember,
    ProjectRecommendation,
    Report,
    SavedSearch,
)


def _export(user: Any) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).prefetch_related("sectors", "skills").first()
    return {
        "profile": None
        if profile is None
        else {
            "shown_to_members": profile.is_visible,
            "activity": profile.activity,
            "sectors": [str(s) for s in profile.sectors.all()],
            "skills": [str(s) for s in profile.skills.all()],
            "services": profile.services,
            "languages": profile.languages,
            "about": profile.about,
            "links": profile.links,
            "looking_for": profile.looking_for,
        },
        "offers_and_needs": [
            {
                "kind": listing.kind,
                "title": listing.title,
                "text": listing.body,
                "status": listing.status,
                "published_at": listing.created_at.isoformat(),
                "shown_until": listing.expires_at.isoformat(),
            }
            for listing in Listing.objects.filter(author=user)
        ],
        "messages_written": [
            {"about": str(m.thread.listing), "written_at": m.created_at.isoformat(), "text": m.body}
            for m in ContactMessage.objects.filter(author=user).select_related("thread__listing")
        ],
        "reports": [
            {"about": str(r.listing), "reported_at": r.created_at.isoformat(), "reason": r.reason}
            for r in Report.objects.filter(reporter=user).select_related("listing")
        ],
        "projects": [{"title": p.title, "what_it_is": p.description} for p in Project.objects.filter(owner=user)],
        "project_teams": [str(m.project) for m in ProjectMember.objects.filter(user=user).select_related("project")],
        "recommendations_to_projects": [r.text for r in ProjectRecommendation.objects.filter(by=user)],
        "saved_searches": [
            {"name": s.name, "words": s.query, "filters": s.filters, "email": s.frequency}
            for s in SavedSearch.objects.filter(user=user)
        ],
        "sector_network_requests": [
            {"network": str(r.network), "asked_at": r.created_at.isoformat(), "word": r.message, "status": r.status}
            for r in JoinRequest.objects.filter(user=user).select_related("network")
        ],
    }


def _erase(user: Any) -> None:
    Report.objects.filter(reporter=user).delete()
    ContactMessage.objects.filter(author=user).delete()
    ContactThread.objects.filter(sender=user).delete()
    Listing.objects.filter(author=user).delete()  # with its threads, messages and reports
    SavedSearch.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()
    ProjectRecommendation.objects.filter(by=user).delete()
    ProjectMember.objects.filter(user=user).delete()
    # The person's projects go, with their team and recommendations; their partner meetings stay as events.
    Project.objects.filter(owner=user).delete()


privacy.register(
    "networking",
    export=_export,
    erase=_erase,
    models=(
        "networking.Profile",
        "networking.Listing",
        "networking.ContactThread",
        "networking.ContactMessage",
        "networking.Report",
        "networking.SavedSearch",
        "networking.Project",
        "networking.ProjectMember",
        "networking.ProjectRecommendation",
        "networking.JoinRequest",
    ),
)
