from django.urls import path

from coopsip.stats import views

app_name = "stats_staff"

urlpatterns = [
    path("", views.staff_current, name="current"),
    path("refresh/", views.staff_refresh, name="refresh"),
    path("activity/", views.staff_activity, name="activity"),
    path("activity/<slug:table>.csv", views.staff_activity_csv, name="activity_csv"),
    path("open-data/rebuild/", views.staff_rebuild_open_data, name="rebuild_open_data"),
    path("<slug:slug>/", views.staff_edition, name="edition"),
    path("<slug:slug>/<slug:table>.csv", views.staff_csv, name="csv"),
]
