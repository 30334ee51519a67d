from allauth.socialaccount import views as socialaccount_views
from django.urls import include, path

from mamori.accounts import views as account_views

urlpatterns = [
    # django-allauth's login stages name these two: the second factor after the password,
    # and the sign-in page (mamori's own, which also answers at accounts:login).
    path(
        "accounts/login/second-factor/",
        account_views.SecondFactorView.as_view(),
        name="mfa_authenticate",
    ),
    path("", include("mamori.reports.urls")),
    path("accounts/me/tokens/", include("mamori.api.token_urls")),
    path("accounts/", include("mamori.accounts.urls")),
    path("accounts/login/", account_views.LoginView.as_view(), name="account_login"),
    # Sign-in with the company's identity provider (OpenID Connect): the redirect URI is
    # <MAMORI_BASE_URL>/accounts/oidc/company/login/callback/.
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path(
        "accounts/sso/cancelled/",
        socialaccount_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("accounts/sso/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    path("company/", include("mamori.company.urls")),
    path("checklist/", include("mamori.assessment.urls")),
    path("handbook/", include("mamori.catalog.urls")),
    path("people/", include("mamori.people.urls")),
    path("assets/", include("mamori.assets.urls")),
    path("lifecycle/", include("mamori.lifecycle.urls")),
    path("partners/", include("mamori.partners.urls")),
    path("contracts/", include("mamori.contracts.urls")),
    path("disclosures/", include("mamori.disclosures.urls")),
    path("rules/", include("mamori.rulebook.urls")),
    path("sites/", include("mamori.sites.urls")),
    path("incidents/", include("mamori.incidents.urls")),
    path("governance/", include("mamori.governance.urls")),
    path("blackbox/", include("mamori.blackbox.urls")),
    path("watch/", include("mamori.watch.urls")),
    path("export-control/", include("mamori.exportcontrol.urls")),
    path("findings/", include("mamori.findings.urls")),
    path("approvals/", include("mamori.approvals.urls")),
    path("audit/", include("mamori.audit.urls")),
    path("exchange/", include("mamori.exchange.urls")),
    path("notifications/", include("mamori.notify.urls")),
    path("api/", include("mamori.api.urls")),
]

# A 400 that Django raises itself (e.g. a Host header not allowed) answers JSON under /api/.
handler400 = "mamori.api.errors.bad_request"
