from django.urls import path

from coopsip.registrations import views

app_name = "registrations"
urlpatterns = [
    path("<slug:slug>/", views.register, name="register"),
    path("<slug:slug>/mine/", views.mine, name="mine"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
]
