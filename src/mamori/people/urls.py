from django.urls import path

from mamori.people import views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views.PersonCreateView.as_view(), name="create"),
    path("import/", views.PeopleImportView.as_view(), name="import"),
    path("import/template.csv", views.PeopleImportTemplateView.as_view(), name="import_template"),
    path("me/", views.SelfServiceView.as_view(), name="me"),
    path("<int:pk>/", views.PersonView.as_view(), name="person"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="edit"),
]
