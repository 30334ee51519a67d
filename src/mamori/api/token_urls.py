from django.urls import path

from mamori.api import pages

app_name = "api_tokens"

urlpatterns = [
    path("", pages.TokenListView.as_view(), name="list"),
    path("<int:pk>/revoke/", pages.TokenRevokeView.as_view(), name="revoke"),
]
