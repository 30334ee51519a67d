from django.urls import path

from mamori.assets import views

app_name = "assets"

urlpatterns = [
    path("", views.AssetListView.as_view(), name="asset_list"),
    path("new/", views.AssetEditView.as_view(), name="asset_create"),
    path("<int:pk>/", views.AssetView.as_view(), name="asset"),
    path("<int:pk>/edit/", views.AssetEditView.as_view(), name="asset_edit"),
    path("classes/", views.SecrecyClassListView.as_view(), name="secrecy_classes"),
    path("classes/<int:pk>/", views.SecrecyClassEditView.as_view(), name="secrecy_class_edit"),
    path("classes/<int:pk>/move/", views.SecrecyClassMoveView.as_view(), name="secrecy_class_move"),
    path("technologies/", views.TechnologyListView.as_view(), name="technology_list"),
    path("technologies/new/", views.TechnologyEditView.as_view(), name="technology_create"),
    path("technologies/<int:pk>/", views.TechnologyView.as_view(), name="technology"),
    path("technologies/<int:pk>/edit/", views.TechnologyEditView.as_view(), name="technology_edit"),
    path("steps/<int:pk>/edit/", views.ProcessStepEditView.as_view(), name="step_edit"),
    path("steps/<int:pk>/delete/", views.ProcessStepDeleteView.as_view(), name="step_delete"),
    path("grants/new/", views.GrantCreateView.as_view(), name="grant_create"),
    path("grants/<int:pk>/revoke/", views.GrantRevokeView.as_view(), name="grant_revoke"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
]
