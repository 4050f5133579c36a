from django.urls import path

from rectrack.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("review/", views.review, name="review"),
    path("terms/<int:pk>/", views.term_edit, name="term_edit"),
    path("terms/<int:pk>/merge/", views.term_merge, name="term_merge"),
]
