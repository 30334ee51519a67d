from django.urls import path

from mamori.watch import views

app_name = "watch"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("run/", views.RunView.as_view(), name="run"),
    path("person/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("aliases/<int:pk>/delete/", views.AliasDeleteView.as_view(), name="alias_delete"),
    path("imports/", views.ImportListView.as_view(), name="imports"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import"),
    path("accounts/", views.UnmatchedView.as_view(), name="unmatched"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("paths/<int:pk>/delete/", views.AssetPathDeleteView.as_view(), name="path_delete"),
    path("api/people/", views.WatchPeopleAPIView.as_view(), name="api_people"),
]
