from django.urls import path

from coopsip.events import organise_views as views

app_name = "events_organise"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.create, name="create"),
    path("new-series/", views.create_series, name="create_series"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/cancel/", views.cancel_event, name="cancel_event"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/attendees.csv", views.export, name="export"),
    path("<int:pk>/sign-in-sheet/", views.sheet, name="sheet"),
    path("<int:pk>/sign-ups/<int:signup_pk>/cancel/", views.cancel_signup, name="cancel_signup"),
    path("<int:pk>/sign-ups/<int:signup_pk>/undo-cancel/", views.undo_cancel_signup, name="undo_cancel_signup"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/attachments/<int:attachment_pk>/delete/", views.delete_attachment, name="delete_attachment"),
    path("<int:pk>/guests/", views.guests, name="guests"),
    path("series/<int:pk>/attendance/", views.series_attendance, name="series_attendance"),
    path("groups/", views.circles, name="circles"),
    path("groups/<int:pk>/attendance/", views.circle_attendance, name="circle_attendance"),
    path("groups/<int:pk>/calendar-link/", views.circle_calendar_link, name="circle_calendar_link"),
]
