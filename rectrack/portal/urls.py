from django.urls import path

from rectrack.portal import views

app_name = "portal"
urlpatterns = [
    path("public/", views.home, name="home"),
    path("public/recommendations/", views.recommendation_list, name="recommendations"),
    path("public/recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("public/projects/", views.project_list, name="projects"),
    path("public/projects/<int:pk>/", views.project_detail, name="project"),
    path("public/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("public/data/", views.open_data, name="open_data"),
    path("public/data/<slug:dataset>.<slug:fmt>", views.download, name="download"),
    path("settings/portal/", views.portal_settings, name="settings"),
    path("settings/portal/<slug:kind>/<int:pk>/", views.publication_edit, name="publication"),
]
