from django.urls import path

from coopsip.editions import views

app_name = "editions"
urlpatterns = [
    path("", views.archive, name="archive"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/faq/", views.faq, name="faq"),
    path("<slug:slug>/calendar.ics", views.calendar, name="calendar"),
    path("<slug:slug>/themes/<slug:theme_slug>/", views.theme, name="theme"),
]
