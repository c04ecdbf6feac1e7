from django.urls import path

from coopsip.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.preferences, name="preferences"),
]
