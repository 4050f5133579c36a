from django.urls import path

from rectrack.institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("<int:pk>/", views.institution_edit, name="edit"),
    path("<int:pk>/handover/", views.handover, name="handover"),
]
