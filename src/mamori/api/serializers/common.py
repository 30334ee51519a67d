"""References to other entries, as the API nests them: ``{"id": 3, "name": "…"}``."""

from __future__ import annotations

from rest_framework import serializers


class Ref(serializers.Serializer):
    """An entry named by its ``name``."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class TitleRef(serializers.Serializer):
    """An entry named by its ``title`` (contracts, pledges)."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class UserRef(serializers.Serializer):
    """A mamori account, by its display name (or user name)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)


def ref(**kwargs: object) -> Ref:
    return Ref(read_only=True, **kwargs)


def optional_ref(**kwargs: object) -> Ref:
    return Ref(read_only=True, allow_null=True, **kwargs)


def user_ref(**kwargs: object) -> UserRef:
    return UserRef(read_only=True, allow_null=True, **kwargs)
