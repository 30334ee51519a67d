from django.urls import path

from mamori.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("setup/", views.SetupView.as_view(), name="setup"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("me/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/security/", views.SecurityView.as_view(), name="security"),
    path("me/security/totp/", views.TotpEnrolView.as_view(), name="security_totp"),
    path("me/security/totp/remove/", views.TotpRemoveView.as_view(), name="security_totp_remove"),
    path("me/security/passkeys/add/", views.PasskeyAddView.as_view(), name="security_passkey"),
    path(
        "me/security/passkeys/<int:pk>/remove/",
        views.PasskeyRemoveView.as_view(),
        name="security_passkey_remove",
    ),
    path(
        "me/security/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="security_recovery_codes",
    ),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path(
        "users/<int:pk>/second-factors/",
        views.UserSecondFactorsResetView.as_view(),
        name="user_second_factors",
    ),
]
