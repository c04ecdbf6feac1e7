from django.urls import path

from coopsip.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("me/", views.me, name="me"),
    path("me/registration/", views.my_registration, name="my_registration"),
]
