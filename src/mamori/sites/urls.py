from django.urls import path

from mamori.sites import views

app_name = "sites"

urlpatterns = [
    path("", views.SiteListView.as_view(), name="site_list"),
    path("new/", views.SiteCreateView.as_view(), name="site_create"),
    path("<int:pk>/", views.SiteView.as_view(), name="site"),
    path("<int:pk>/edit/", views.SiteEditView.as_view(), name="site_edit"),
    path("equipment/", views.EquipmentListView.as_view(), name="equipment_list"),
    path("equipment/new/", views.EquipmentCreateView.as_view(), name="equipment_create"),
    path("equipment/<int:pk>/", views.EquipmentView.as_view(), name="equipment"),
    path("equipment/<int:pk>/edit/", views.EquipmentEditView.as_view(), name="equipment_edit"),
]
