from django.urls import path

from mamori.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.HandbookView.as_view(), name="handbook"),
    path("stages/<str:stage_id>/", views.StageGuideView.as_view(), name="stage"),
    path("contacts/", views.ContactsView.as_view(), name="contacts"),
]
