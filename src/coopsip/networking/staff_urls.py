from django.urls import path

from coopsip.networking import followup_views, views

app_name = "networking_staff"

urlpatterns = [
    path("reports/", views.staff_reports, name="reports"),
    path("<int:pk>/hide/", views.staff_hide, name="hide"),
    path("events/", followup_views.dashboard, name="followup"),
    path("events/record/", followup_views.record_event, name="followup_record"),
    path("events/export.csv", followup_views.dashboard_csv, name="followup_csv"),
    path("events/<int:pk>/", followup_views.event_follow_up, name="followup_event"),
]
