from django.urls import path

from rectrack.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_create, name="create"),
    path("export.<slug:fmt>", views.indicator_export, name="export"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/edit/", views.indicator_edit, name="edit"),
    path("<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("<int:pk>/measurements/<int:measurement_pk>/remove/", views.measurement_remove, name="measurement_remove"),
]
