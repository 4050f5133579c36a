from django.urls import path

from rectrack.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/columns/", views.import_mapping, name="mapping"),
    path("<int:pk>/import/", views.import_confirm, name="confirm"),
    path("<int:pk>/discard/", views.import_discard, name="discard"),
    path("<int:pk>/report.csv", views.import_report, name="report"),
]
