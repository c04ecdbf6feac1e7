from django.urls import URLPattern, path  # noqa: F401

app_name = "registrations_staff"
urlpatterns: list[URLPattern] = []
