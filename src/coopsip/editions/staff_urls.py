from django.urls import path

app_name = "editions_staff"
urlpatterns: list = []
