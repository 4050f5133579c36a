from django.urls import path

from rectrack.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.reporting, name="index"),
    path("treaty-bodies/", views.reporting, {"tab": "treaty_bodies"}, name="treaty_bodies"),
    path("drafts/new/", views.draft_create, name="draft_create"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/download/", views.draft_download, name="draft_download"),
]
