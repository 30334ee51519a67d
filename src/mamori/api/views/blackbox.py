"""The codename dictionary: only for those who black-box documents (BLACKBOX_USE)."""

from __future__ import annotations

from django.db.models import Prefetch

from mamori.accounts.roles import Capability
from mamori.api.base import RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import blackbox as s
from mamori.assets.models import InformationAsset
from mamori.blackbox.models import Term, TermCategory


class _Terms:
    capability = Capability.BLACKBOX_USE
    serializer_class = s.TermSerializer

    queryset = Term.objects.prefetch_related(
        Prefetch("assets", InformationAsset.objects.only("pk", "name").order_by("name"))
    ).order_by("category", "codename", "pk")


class TermList(_Terms, RegisterListView):
    filters = (Filter.choice("category", TermCategory), Filter.ref("asset", "assets__id"))
    search = ("text__icontains", "codename__icontains")


class TermDetail(_Terms, RegisterDetailView):
    pass
