"""The officer appointment (STEP 1) and the security posture (the later stage's row)."""

from __future__ import annotations

from django.db.models import Prefetch

from mamori.accounts.roles import Capability
from mamori.api.base import RegisterDetailView, RegisterListView
from mamori.api.filters import Filter
from mamori.api.serializers import governance as s
from mamori.governance.models import OfficerAppointment, PostureArea, PostureMeasure, PostureReview


class _Appointments:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.AppointmentSerializer

    queryset = OfficerAppointment.objects.select_related("person").order_by("-appointed_on", "-pk")


class AppointmentList(_Appointments, RegisterListView):
    """The officer appointments, the latest first (the one in force has no ``ended_on``)."""


class AppointmentDetail(_Appointments, RegisterDetailView):
    pass


class _Posture:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.PostureMeasureSerializer

    queryset = (
        PostureMeasure.objects.select_related("owner")
        .prefetch_related(
            Prefetch("reviews", PostureReview.objects.order_by("-reviewed_on", "-pk"))
        )
        .order_by("area")
    )


class PostureList(_Posture, RegisterListView):
    """The security posture's areas recorded, with their reviews."""

    filters = (Filter.choice("area", PostureArea),)


class PostureDetail(_Posture, RegisterDetailView):
    pass
