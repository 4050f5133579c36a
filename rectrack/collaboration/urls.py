from django.urls import path

from rectrack.collaboration import views

app_name = "collaboration"
urlpatterns = [
    path("activities/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("activities/<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("attachments/<int:pk>/public/", views.attachment_public, name="attachment_public"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/preferences/", views.preferences, name="preferences"),
]
