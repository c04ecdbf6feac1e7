from django.urls import path

from coopsip.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff_area, name="staff"),
]
