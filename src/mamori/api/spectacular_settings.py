"""The REST API's settings for DRF and drf-spectacular (imported by
``mamori.settings.base``; no Django imports)."""

SPECTACULAR_SETTINGS = {
    "TITLE": "mamori API",
    "DESCRIPTION": (
        "The registers, findings and checklist of mamori. Authenticate with an API token "
        "(`Authorization: Token <key>`), HTTP Basic or a signed-in browser; every request "
        "has exactly the role and need-to-know of its user. Lists are paged with `limit` "
        "and `offset`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mamori.api.schema.add_error_responses",
    ],
    # Many registers have a "kind" or "status": name each choice set after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "PersonKindEnum": "mamori.people.models.PersonKind",
        "PersonStatusEnum": "mamori.people.models.PersonStatus",
        "PledgeKindEnum": "mamori.people.models.PledgeKind",
        "DeclarationReviewEnum": "mamori.people.models.ReviewStatus",
        "TechnologyCategoryEnum": "mamori.assets.models.TechnologyCategory",
        "ScoreEnum": "mamori.assets.models.SCORE_CHOICES",
        "LevelEnum": "mamori.assets.models.Importance",
        "ExportResultEnum": "mamori.assets.models.ExportResult",
        "AssetKindEnum": "mamori.assets.models.AssetKind",
        "ReviewKindEnum": "mamori.assets.models.ReviewKind",
        "CounterpartyKindEnum": "mamori.partners.models.CounterpartyKind",
        "ContractKindEnum": "mamori.contracts.models.ContractKind",
        "ContractStatusEnum": "mamori.contracts.selectors.ContractStatus",
        "SiteKindEnum": "mamori.sites.models.SiteKind",
        "IncidentKindEnum": "mamori.incidents.models.IncidentKind",
        "ContainmentKindEnum": "mamori.incidents.models.ContainmentKind",
        "ResponseKindEnum": "mamori.incidents.models.ResponseKind",
        "ConcernKindEnum": "mamori.incidents.models.ConcernKind",
        "PostureAreaEnum": "mamori.governance.models.PostureArea",
        "TermCategoryEnum": "mamori.blackbox.models.TermCategory",
        "AuthorizationKindEnum": "mamori.exportcontrol.models.AuthorizationKind",
        "HitStatusEnum": "mamori.exportcontrol.models.HitStatus",
        "RoundStatusEnum": "mamori.exportcontrol.models.RoundStatus",
        "ChecklistStatusEnum": "mamori.assessment.models.Status",
        "StageEnum": "mamori.api.serializers.programme.STAGES",
        "SampleStatusEnum": "mamori.disclosures.selectors.SAMPLE_STATUSES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

REST_FRAMEWORK = {
    # extend_schema on a method builds on this class, so it must be set here.
    "DEFAULT_SCHEMA_CLASS": "mamori.api.schema.MamoriAutoSchema",
}
