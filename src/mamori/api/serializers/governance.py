"""The officer appointment and the security posture."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import ref
from mamori.governance.models import OfficerAppointment, PostureMeasure, PostureReview


class AppointmentSerializer(serializers.ModelSerializer):
    person = ref()

    class Meta:
        model = OfficerAppointment
        fields = (
            "id",
            "person",
            "appointed_on",
            "mandate",
            "reviewed_on",
            "reviewed_by",
            "ended_on",
        )


class _ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostureReview
        fields = ("id", "reviewed_on", "reviewed_by", "result")


class PostureMeasureSerializer(serializers.ModelSerializer):
    owner = ref()
    reviews = _ReviewSerializer(many=True, read_only=True)

    class Meta:
        model = PostureMeasure
        fields = ("id", "area", "measures", "owner", "review_interval_months", "reviews")
