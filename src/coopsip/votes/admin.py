from django.contrib import admin

from coopsip.editions.admin import ReadOnly
from coopsip.votes.models import Ballot, ThemeProposal

# Proposals and ballots change through the staff pages (staff/votes/); the admin only shows them.
# Cast ballots and participations are not in the admin at all: nobody browses them.


@admin.register(ThemeProposal)
class ThemeProposalAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "status", "country", "by_board", "created_at"]


@admin.register(Ballot)
class BallotAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "method", "seats", "opens_at", "closes_at", "counted_at", "published_at"]
    exclude = ["tie_order", "result"]
