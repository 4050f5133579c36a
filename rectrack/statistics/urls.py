from django.urls import path

from rectrack.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.statistics, name="progress"),
    path("themes/", views.statistics, {"tab": "themes"}, name="themes"),
    path("planning/", views.statistics, {"tab": "planning"}, name="planning"),
    path("over-time/", views.statistics, {"tab": "over_time"}, name="over_time"),
    path("charts/<slug:name>.svg", views.chart_svg, name="chart_svg"),
]
