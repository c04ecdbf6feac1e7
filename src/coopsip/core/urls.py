from django.urls import path

from coopsip.core import views

app_name = "core"
urlpatterns = [
    path("staff/", views.staff_area, name="staff"),
]
