from django.urls import path

from coopsip.accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/places/", views.places, name="places"),
    path("language/", views.set_language, name="set_language"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/download/", views.export_data, name="export_data"),
    path("privacy/delete/", views.delete, name="delete"),
]
