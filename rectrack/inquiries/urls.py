from django.urls import path

from rectrack.inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/status/", views.request_status, name="status"),
    path("<int:pk>/answer/<int:institution>/", views.answer, name="answer"),
]
