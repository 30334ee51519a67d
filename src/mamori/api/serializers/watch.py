"""How ``/watch/api/people/`` answers (the departure watch's own endpoint), for the schema."""

from __future__ import annotations

from rest_framework import serializers


class WatchRunSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    today = serializers.DateField()
    threshold = serializers.IntegerField()
    events = serializers.IntegerField()


class WatchReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class WatchedPersonSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="the person's id")
    name = serializers.CharField()
    score = serializers.IntegerField()
    above_threshold = serializers.BooleanField()
    notice = serializers.DateField()
    window = serializers.ListField(child=serializers.DateField(), min_length=2, max_length=2)
    reasons = WatchReasonSerializer(many=True)


class WatchPeopleSerializer(serializers.Serializer):
    run = WatchRunSerializer(allow_null=True, help_text="null before the first analysis")
    people = WatchedPersonSerializer(many=True)
