from django.urls import path

from mamori.people import views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("import/", views.PeopleImportView.as_view(), name="person_import"),
    path(
        "import/template.csv",
        views.PeopleImportTemplateView.as_view(),
        name="person_import_template",
    ),
    path("me/", views.SelfServiceView.as_view(), name="me"),
    path("<int:pk>/", views.PersonView.as_view(), name="person"),
    path("<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
]
