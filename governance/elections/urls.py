app_name = "elections"

urlpatterns: list = []
