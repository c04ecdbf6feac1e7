from django.urls import path

from coopsip.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("mine/calendar/renew/", views.renew_calendar, name="renew_calendar"),
    path("calendar/<str:token>.ics", views.personal_feed, name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/calendar.ics", views.event_calendar, name="calendar"),
    path("series/<int:pk>/", views.series, name="series"),
    path("series/<int:pk>/calendar.ics", views.series_calendar, name="series_calendar"),
    path("groups/<str:token>/calendar.ics", views.circle_calendar, name="circle_calendar"),
    path("s/<str:token>/", views.personal_signup, name="signup"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
