"""Departures: the checklist opened by a departure notice."""

from __future__ import annotations

from mamori.accounts.roles import Capability
from mamori.api.base import RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import lifecycle as s
from mamori.lifecycle.models import Departure, RetentionOption
from mamori.people.models import PersonStatus


class _Departures:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.DepartureSerializer

    queryset = Departure.objects.select_related("person").order_by("-notice_on", "-pk")


class DepartureList(_Departures, RegisterListView):
    filters = (
        Filter.ref("person"),
        Filter.choice(
            "person_status",
            PersonStatus,
            lookup="person__status",
            description="notified: still here; departed: gone",
        ),
        Filter.choice("retention_option", RetentionOption),
        Filter.date_from("notice_from", "notice_on"),
    )
    search = ("person__name__icontains", "person__name_kana__icontains")


class DepartureDetail(_Departures, RegisterDetailView):
    pass
