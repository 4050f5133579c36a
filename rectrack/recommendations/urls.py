from django.urls import path

from rectrack.recommendations import groups, views

app_name = "recommendations"
urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("new/", views.recommendation_create, name="create"),
    path("bulk/", views.recommendation_bulk, name="bulk"),
    path("export.<slug:fmt>", views.recommendation_export, name="export"),
    path("thematic-matrix.<slug:fmt>", views.thematic_matrix, name="matrix"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group_edit"),
    path("groups/<int:pk>/add/", groups.group_add, name="group_add"),
    path("groups/<int:pk>/remove/<int:recommendation_pk>/", groups.group_remove, name="group_remove"),
    path("groups/<int:pk>/link/", groups.group_link, name="group_link"),
    path("groups/<int:pk>/delete/", groups.group_delete, name="group_delete"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", views.recommendation_edit, name="edit"),
    path("<int:pk>/status/", views.recommendation_status, name="status"),
    path("<int:pk>/translations/", views.recommendation_translations, name="translations"),
    path("<int:pk>/assign/", views.recommendation_assign, name="assign"),
    path("<int:pk>/projects/<int:project_pk>/remove/", views.recommendation_unassign, name="unassign"),
]
