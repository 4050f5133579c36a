from django.urls import path

from rectrack.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("new/", views.recommendation_create, name="create"),
    path("bulk/", views.recommendation_bulk, name="bulk"),
    path("export.<slug:fmt>", views.recommendation_export, name="export"),
    path("thematic-matrix.<slug:fmt>", views.thematic_matrix, name="matrix"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", views.recommendation_edit, name="edit"),
    path("<int:pk>/status/", views.recommendation_status, name="status"),
    path("<int:pk>/translations/", views.recommendation_translations, name="translations"),
    path("<int:pk>/assign/", views.recommendation_assign, name="assign"),
    path("<int:pk>/projects/<int:project_pk>/remove/", views.recommendation_unassign, name="unassign"),
]
