from django.urls import include, path

urlpatterns = [
    path("", include("mamori.reports.urls")),
    path("accounts/", include("mamori.accounts.urls")),
    path("company/", include("mamori.company.urls")),
    path("checklist/", include("mamori.assessment.urls")),
    path("handbook/", include("mamori.catalog.urls")),
    path("people/", include("mamori.people.urls")),
    path("assets/", include("mamori.assets.urls")),
    path("lifecycle/", include("mamori.lifecycle.urls")),
    path("partners/", include("mamori.partners.urls")),
    path("contracts/", include("mamori.contracts.urls")),
    path("disclosures/", include("mamori.disclosures.urls")),
    path("sites/", include("mamori.sites.urls")),
    path("blackbox/", include("mamori.blackbox.urls")),
    path("watch/", include("mamori.watch.urls")),
    path("export-control/", include("mamori.exportcontrol.urls")),
    path("findings/", include("mamori.findings.urls")),
    path("audit/", include("mamori.audit.urls")),
    path("api/", include("mamori.api.urls")),
]
