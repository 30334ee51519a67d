"""Departures: what must happen between a notice and the last day."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import ref
from mamori.lifecycle.models import Departure
from mamori.lifecycle.services import DEPARTURE_FIELDS


class DepartureSerializer(serializers.ModelSerializer):
    person = ref()

    class Meta:
        model = Departure
        fields = ("id", "person", "notice_on", *DEPARTURE_FIELDS)
