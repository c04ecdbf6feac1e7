from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from coopsip.core import views as core_views
from coopsip.editions.sitemaps import SITEMAPS
from coopsip.recommendations import urls_followup

# The admin logs in through the site's login, which asks for the second factor.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", core_views.health, name="health"),
    path("api/v1/", include("coopsip.api.urls")),
    # The sitemap: an index of sections, each paginated (editions/sitemaps.py).
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
urlpatterns += i18n_patterns(
    path("", include("coopsip.home.urls")),
    path("", include("coopsip.core.urls")),
    path("editions/", include("coopsip.editions.urls")),
    path("staff/editions/", include("coopsip.editions.staff_urls")),
    path("registrations/", include("coopsip.registrations.urls")),
    path("invitations/", include("coopsip.registrations.invitation_urls")),
    path("surveys/", include("coopsip.surveys.urls")),
    path("staff/surveys/", include("coopsip.surveys.staff_urls")),
    path("votes/", include("coopsip.votes.urls")),
    path("staff/votes/", include("coopsip.votes.staff_urls")),
    path("staff/registrations/", include("coopsip.registrations.staff_urls")),
    path("staff/formation/", include("coopsip.formation.staff_urls")),
    path("groups/", include("coopsip.groups.urls")),
    path("staff/groups/", include("coopsip.groups.staff_urls")),
    path("events/organise/", include("coopsip.events.organise_urls")),
    path("events/", include("coopsip.events.urls")),
    path("group-space/", include("coopsip.groupspace.urls")),
    path("outcomes/", include((urls_followup.public_patterns, "recommendations_public"))),
    path("staff/recommendations/", include((urls_followup.staff_patterns, "recommendations_staff"))),
    path("board/recommendations/", include((urls_followup.board_patterns, "recommendations_board"))),
    path("test-projects/", include((urls_followup.testproject_patterns, "recommendations_testprojects"))),
    path("recommendations/", include("coopsip.recommendations.urls")),
    path("statistics/", include("coopsip.stats.urls")),
    path("staff/statistics/", include("coopsip.stats.staff_urls")),
    path("notifications/", include("coopsip.notifications.urls")),
    path("network/", include("coopsip.networking.urls")),
    path("contributions/", include("coopsip.contributions.urls")),
    path("staff/network/", include("coopsip.networking.staff_urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("coopsip.accounts.urls")),
    path("members/", include("coopsip.members.urls")),
)

# The error pages in the site's frame and the language of the URL (core.views).
handler403 = "coopsip.core.views.permission_denied"
handler404 = "coopsip.core.views.page_not_found"
handler500 = "coopsip.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
