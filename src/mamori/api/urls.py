from django.urls import path

from mamori.api import views

app_name = "api"

urlpatterns = [
    path("assets/", views.AssetListAPIView.as_view(), name="asset_list"),
    path("assets/<int:pk>/", views.AssetDetailAPIView.as_view(), name="asset"),
    path("findings/", views.FindingListAPIView.as_view(), name="findings"),
]
