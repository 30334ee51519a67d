"""Departures: what must happen between a notice and the last day."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import ref
from mamori.lifecycle.models import Departure


class DepartureSerializer(serializers.ModelSerializer):
    person = ref()

    class Meta:
        model = Departure
        fields = (
            "id",
            "person",
            "notice_on",
            "last_day",
            "exit_briefing_on",
            "devices_returned_on",
            "documents_returned_on",
            "samples_returned_on",
            "retention_option",
            "retention_note",
            "note",
        )
