from django.urls import path, re_path

from coopsip.api import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("docs/", views.docs, name="docs"),
    path("console/", views.console, name="console"),
    path("editions/", views.editions, name="editions"),
    path("editions/<slug:slug>/", views.edition, name="edition"),
    path("themes/", views.themes, name="themes"),
    path("phases/", views.phases, name="phases"),
    path("events/", views.events, name="events"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("statistics/", views.statistics, name="statistics"),
    # Any other path, also one with a newline (which <path:…> does not match): a JSON 404, not Django's page.
    re_path(r"^(?P<rest>(?s:.+))$", views.not_found, name="not_found"),
]
