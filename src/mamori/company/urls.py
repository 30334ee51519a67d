from django.urls import path

from mamori.company import views

app_name = "company"

urlpatterns = [
    path("", views.CompanyProfileView.as_view(), name="profile"),
    path("edit/", views.CompanyEditView.as_view(), name="profile_edit"),
    path("stage/", views.StageWizardView.as_view(), name="stage_wizard"),
]
