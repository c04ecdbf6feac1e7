from django.urls import path

from coopsip.members import views

app_name = "members"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("register/", views.register, name="register"),
    path("register/import/", views.import_file, name="import"),
    path("register/import/<int:pk>/", views.import_detail, name="import_detail"),
]
