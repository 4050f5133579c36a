from django.urls import path

from rectrack.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.reporting, name="index"),
    path("treaty-bodies/", views.reporting, {"tab": "treaty_bodies"}, name="treaty_bodies"),
    path("drafts/new/", views.draft_create, name="draft_create"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("drafts/<int:pk>/download/", views.draft_download, name="draft_download"),
    path("drafts/<int:pk>/delete/", views.draft_delete, name="draft_delete"),
    path("drafts/<int:pk>/share/", views.draft_share, name="draft_share"),
    path("drafts/<int:pk>/comments/", views.draft_comment, name="draft_comment"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:kind>/download/", views.template_download, name="template_download"),
    path("templates/<slug:kind>/upload/", views.template_upload, name="template_upload"),
    path("templates/<slug:kind>/reset/", views.template_reset, name="template_reset"),
]
