"""The REST API's URLs: ``<register>/`` (list, POST) and ``<register>/<id>/`` (detail,
PATCH) for every register, the user's own records under ``me/``, the schema and docs."""

from django.urls import path

from mamori.api.views import (
    assets,
    blackbox,
    contracts,
    disclosures,
    docs,
    exportcontrol,
    governance,
    incidents,
    lifecycle,
    me,
    partners,
    people,
    programme,
    rulebook,
    sites,
)

app_name = "api"


def register(prefix: str, name: str, list_view: type, detail_view: type) -> list:
    """Return the list and detail URLs of a register (``api:<name>_list``, ``api:<name>``)."""
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/<str:pk>/", detail_view.as_view(), name=name),
    ]


urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(), name="docs"),
    path("me/", me.MeView.as_view(), name="me"),
    path("me/grants/", me.MyGrants.as_view(), name="my_grants"),
    path("me/pledges/", me.MyPledges.as_view(), name="my_pledges"),
    path("me/trainings/", me.MyTrainings.as_view(), name="my_trainings"),
    path("me/side-jobs/", me.MySideJobs.as_view(), name="my_side_jobs"),
    path("me/foreign-declarations/", me.MyForeignDeclarations.as_view(), name="my_foreign"),
    path("me/rules/", me.MyRules.as_view(), name="my_rules"),
    path("me/concerns/", incidents.MyConcerns.as_view(), name="my_concerns"),
    *register("people", "person", people.PersonList, people.PersonDetail),
    *register("departments", "department", people.DepartmentList, people.DepartmentDetail),
    *register("pledges", "pledge", people.PledgeList, people.PledgeDetail),
    *register("trainings", "training", people.TrainingList, people.TrainingDetail),
    *register("side-jobs", "side_job", people.SideJobList, people.SideJobDetail),
    *register(
        "foreign-declarations",
        "foreign_declaration",
        people.ForeignDeclarationList,
        people.ForeignDeclarationDetail,
    ),
    *register("technologies", "technology", assets.TechnologyList, assets.TechnologyDetail),
    *register(
        "classifications",
        "classification",
        assets.ClassificationList,
        assets.ClassificationDetail,
    ),
    *register("assets", "asset", assets.AssetList, assets.AssetDetail),
    *register("grants", "grant", assets.GrantList, assets.GrantDetail),
    path("grants/<str:pk>/revoke/", assets.GrantRevoke.as_view(), name="grant_revoke"),
    *register("reviews", "review", assets.ReviewList, assets.ReviewDetail),
    *register(
        "counterparties", "counterparty", partners.CounterpartyList, partners.CounterpartyDetail
    ),
    *register("themes", "theme", partners.ThemeList, partners.ThemeDetail),
    *register("rules", "rules", rulebook.RuleDocumentList, rulebook.RuleDocumentDetail),
    *register(
        "rule-acknowledgements",
        "rule_acknowledgement",
        rulebook.RuleAcknowledgementList,
        rulebook.RuleAcknowledgementDetail,
    ),
    *register("contracts", "contract", contracts.ContractList, contracts.ContractDetail),
    *register(
        "disclosures", "disclosure", disclosures.DisclosureList, disclosures.DisclosureDetail
    ),
    *register("samples", "sample", disclosures.SampleList, disclosures.SampleDetail),
    *register(
        "exhibitions", "exhibition", disclosures.ExhibitionList, disclosures.ExhibitionDetail
    ),
    *register("sites", "site", sites.SiteList, sites.SiteDetail),
    *register("equipment", "equipment", sites.EquipmentList, sites.EquipmentDetail),
    *register("incidents", "incident", incidents.IncidentList, incidents.IncidentDetail),
    path("concerns/", incidents.ConcernQueue.as_view(), name="concerns"),
    *register(
        "officer-appointments",
        "appointment",
        governance.AppointmentList,
        governance.AppointmentDetail,
    ),
    *register("security-posture", "posture", governance.PostureList, governance.PostureDetail),
    *register("departures", "departure", lifecycle.DepartureList, lifecycle.DepartureDetail),
    *register("codename-terms", "term", blackbox.TermList, blackbox.TermDetail),
    *register(
        "export-authorizations",
        "authorization",
        exportcontrol.AuthorizationList,
        exportcontrol.AuthorizationDetail,
    ),
    *register(
        "catch-all-checks", "catch_all", exportcontrol.CatchAllList, exportcontrol.CatchAllDetail
    ),
    *register("screening-hits", "hit", exportcontrol.HitList, exportcontrol.HitDetail),
    *register("funding-rounds", "round", exportcontrol.RoundList, exportcontrol.RoundDetail),
    path("findings/", programme.FindingList.as_view(), name="findings"),
    path("checklist/", programme.ChecklistView.as_view(), name="checklist"),
]
