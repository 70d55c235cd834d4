app_name = "apps_marketplace"

urlpatterns: list = []
