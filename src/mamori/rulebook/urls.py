from django.urls import path

from mamori.rulebook import views

app_name = "rulebook"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("new/", views.DocumentEditView.as_view(), name="document_create"),
    path("<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path("versions/<int:pk>/", views.VersionView.as_view(), name="version"),
    path("versions/<int:pk>/file/", views.VersionDownloadView.as_view(), name="version_file"),
    path("acknowledge/", views.AcknowledgeView.as_view(), name="acknowledge"),
]
