"""Information-management rules (versions and who acknowledged them)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from mamori.accounts.roles import Capability
from mamori.api.base import RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import rulebook as s
from mamori.rulebook.models import RuleAcknowledgement, RuleDocument, RuleVersion


class _Documents:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.RuleDocumentSerializer

    def get_queryset(self) -> QuerySet[RuleDocument]:
        versions = RuleVersion.objects.select_related("published_by").order_by(
            "-effective_from", "-pk"
        )
        return RuleDocument.objects.prefetch_related(Prefetch("versions", versions)).order_by(
            "title", "pk"
        )


class RuleDocumentList(_Documents, RegisterListView):
    """The rules with every version (newest first; the first whose date has come is in
    force)."""

    search = ("title__icontains",)


class RuleDocumentDetail(_Documents, RegisterDetailView):
    pass


class _Acknowledgements:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.RuleAcknowledgementSerializer

    queryset = RuleAcknowledgement.objects.select_related(
        "version", "version__document", "person", "recorded_by"
    ).order_by("-acknowledged_on", "pk")


class RuleAcknowledgementList(_Acknowledgements, RegisterListView):
    """Who acknowledged which version of the rules, and when."""

    filters = (
        Filter.ref("version"),
        Filter.ref("document", "version__document_id"),
        Filter.ref("person"),
        Filter.date_from("acknowledged_from", "acknowledged_on"),
        Filter.date_to("acknowledged_to", "acknowledged_on"),
    )
    search = ("person__name__icontains",)


class RuleAcknowledgementDetail(_Acknowledgements, RegisterDetailView):
    pass
