from django.urls import path

from rectrack.agenda import views

app_name = "agenda"
urlpatterns = [
    path("", views.month_view, name="month"),
    path("list/", views.list_view, name="list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("feed/", views.feed_page, name="feed"),
    path("feed/<str:token>.ics", views.feed_ics, name="feed_ics"),
]
