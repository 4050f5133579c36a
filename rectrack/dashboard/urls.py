from django.urls import path

from rectrack.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.upcoming, {"section": "settings"}, name="settings"),
]
