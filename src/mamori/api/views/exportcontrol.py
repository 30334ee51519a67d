"""Export control records: licences and judgements, catch-all checks, end-user list
screening hits and funding rounds."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from mamori.accounts.roles import Capability
from mamori.api.base import RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import exportcontrol as s
from mamori.exportcontrol.models import (
    AuthorizationKind,
    CatchAllCheck,
    CatchAllConclusion,
    ExportAuthorization,
    FundingRound,
    HitStatus,
    RoundParticipation,
    RoundStatus,
    ScreeningHit,
)


class _Authorizations:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.AuthorizationSerializer

    queryset = ExportAuthorization.objects.select_related(
        "technology", "counterparty", "person", "disclosure__counterparty", "recorded_by"
    ).order_by("-decided_on", "-pk")


class AuthorizationList(_Authorizations, RegisterListView):
    """Licences (許可) and recorded judgements that none is needed."""

    filters = (
        Filter.ref("technology"),
        Filter.ref("counterparty"),
        Filter.ref("person"),
        Filter.choice("kind", AuthorizationKind),
        Filter.date_to("valid_until_by", "valid_until"),
    )
    search = ("reference__icontains", "technology__name__icontains")


class AuthorizationDetail(_Authorizations, RegisterDetailView):
    pass


class _CatchAll:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.CatchAllSerializer

    queryset = CatchAllCheck.objects.select_related("disclosure__counterparty").order_by(
        "-checked_on", "-pk"
    )


class CatchAllList(_CatchAll, RegisterListView):
    """Catch-all checks (用途・需要者・インフォーム) of disclosures abroad."""

    filters = (Filter.ref("disclosure"), Filter.choice("conclusion", CatchAllConclusion))
    search = ("end_user__icontains", "disclosure__counterparty__name__icontains")


class CatchAllDetail(_CatchAll, RegisterDetailView):
    pass


class _Hits:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.HitSerializer

    queryset = ScreeningHit.objects.select_related("counterparty", "entry", "decided_by").order_by(
        "-score", "-match_rank", "-pk"
    )


class HitList(_Hits, RegisterListView):
    """Counterparties that may be on the end-user list, with the officer's decision."""

    filters = (Filter.ref("counterparty"), Filter.choice("status", HitStatus))
    search = ("screened_name__icontains", "matched_name__icontains")


class HitDetail(_Hits, RegisterDetailView):
    pass


class _Rounds:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.FundingRoundSerializer

    def get_queryset(self) -> QuerySet[FundingRound]:
        participations = RoundParticipation.objects.select_related(
            "investor", "investor__investor_profile", "leakage_reviewed_by"
        ).order_by("-stake", "pk")
        return FundingRound.objects.prefetch_related(
            Prefetch("participations", participations)
        ).order_by("-planned_on", "-pk")


class RoundList(_Rounds, RegisterListView):
    """Funding rounds with each investor's stake, board seat and technology access."""

    filters = (
        Filter.choice("status", RoundStatus),
        Filter.ref("investor", "participations__investor_id"),
    )
    search = ("name__icontains",)


class RoundDetail(_Rounds, RegisterDetailView):
    pass
