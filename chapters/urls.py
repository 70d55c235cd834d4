app_name = "chapters"

urlpatterns: list = []
