from __future__ import annotations

from typing import Any

from django.http import Http404

from mamori.accounts.roles import Capability
from mamori.catalog.selectors import get_catalog
from mamori.core.views import ProtectedTemplateView


class HandbookView(ProtectedTemplateView):
    """The handbook's overview: stages, the common steps, related systems, contacts."""

    capability = Capability.HANDBOOK_VIEW
    template_name = "catalog/handbook.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(catalog=get_catalog(), **kwargs)


class StageGuideView(ProtectedTemplateView):
    """One stage as the handbook tells it: advice, cases, columns, checklist and measures."""

    capability = Capability.HANDBOOK_VIEW
    template_name = "catalog/stage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        catalog = get_catalog()
        try:
            stage = catalog.stage(self.kwargs["stage_id"])
        except KeyError as exc:
            raise Http404 from exc
        rows = catalog.rows_for_stage(stage.id)
        return super().get_context_data(
            catalog=catalog,
            stage=stage,
            cases=catalog.cases_for_stage(stage.id),
            columns=catalog.columns_for_stage(stage.id),
            channels=[
                (channel, [row for row in rows if row.channel == channel.id])
                for channel in catalog.channels
            ],
            **kwargs,
        )


class ContactsView(ProtectedTemplateView):
    capability = Capability.HANDBOOK_VIEW
    template_name = "catalog/contacts.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(catalog=get_catalog(), **kwargs)
