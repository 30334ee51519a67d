"""The codename dictionary (black-boxing)."""

from __future__ import annotations

from rest_framework import serializers

from mamori.api.serializers.common import ref
from mamori.blackbox.models import Term


class TermSerializer(serializers.ModelSerializer):
    variants = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="other spellings"
    )
    assets = ref(many=True, help_text="the information assets the term gives away")

    class Meta:
        model = Term
        fields = ("id", "text", "category", "codename", "variants", "assets", "note")
