from django.urls import path

app_name = "editions"
urlpatterns: list = []
