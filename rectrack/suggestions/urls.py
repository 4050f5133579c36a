from django.urls import path

from rectrack.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("suggestions/", views.review, name="review"),
    path("suggestions/decide/", views.decide, name="decide"),
    path("suggestions/<int:pk>/<slug:action>/", views.decide_one, name="decide_one"),
    path("suggestions/recommendation/<int:pk>/suggest/", views.suggest_for, name="suggest_for"),
    path("suggestions/recommendation/<int:pk>/<slug:action>/", views.decide_all_for, name="decide_all_for"),
    path("suggestions/duplicates/", views.duplicates, name="duplicates"),
    path("settings/suggestions/", views.settings_page, name="settings"),
    path("settings/suggestions/train/", views.train, name="train"),
    path("settings/suggestions/suggest/", views.suggest_all, name="suggest_all"),
    path("settings/suggestions/index/", views.reindex, name="reindex"),
]
