from django.urls import path

from mamori.partners import views

app_name = "partners"

urlpatterns = [
    path("", views.CounterpartyListView.as_view(), name="counterparty_list"),
    path("new/", views.CounterpartyCreateView.as_view(), name="counterparty_create"),
    path("<int:pk>/", views.CounterpartyView.as_view(), name="counterparty"),
    path("<int:pk>/edit/", views.CounterpartyEditView.as_view(), name="counterparty_edit"),
    path("<int:pk>/dd/new/", views.DueDiligenceStartView.as_view(), name="dd_start"),
    path("dd/<int:pk>/", views.DueDiligenceView.as_view(), name="dd"),
    path(
        "shareholders/<int:pk>/edit/",
        views.ShareholderEditView.as_view(),
        name="shareholder_edit",
    ),
    path(
        "shareholders/<int:pk>/remove/",
        views.ShareholderRemoveView.as_view(),
        name="shareholder_remove",
    ),
    path("members/<int:pk>/end/", views.MemberEndView.as_view(), name="member_end"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("themes/new/", views.ThemeEditView.as_view(), name="theme_create"),
    path("themes/<int:pk>/", views.ThemeView.as_view(), name="theme"),
    path("themes/<int:pk>/edit/", views.ThemeEditView.as_view(), name="theme_edit"),
]
