from django.urls import path

from coopsip.networking import views

app_name = "networking_staff"

urlpatterns = [
    path("reports/", views.staff_reports, name="reports"),
    path("<int:pk>/hide/", views.staff_hide, name="hide"),
]
