from django.urls import path

from rectrack.instance import views

app_name = "instance"
urlpatterns = [
    path("", views.settings_edit, name="edit"),
    path("logo/", views.logo, name="logo"),
]
