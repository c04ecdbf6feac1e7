app_name = "groups_staff"
urlpatterns: list = []
