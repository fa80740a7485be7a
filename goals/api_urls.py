app_name = "goals_api"
urlpatterns = []
