"""Helpers for the backup tests: uploads in a scratch folder, and what an installation holds."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from mamori.backup.tables import encode_value, included_tables


def storage_settings(root: Path) -> override_settings:
    """Settings that put the uploads (``MEDIA_ROOT``, the default storage) under ``root``."""
    return override_settings(
        MEDIA_ROOT=root,
        STORAGES={
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root, "base_url": None},
            },
        },
    )


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English (mamori's default language is Japanese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "uploads"
    root.mkdir()
    with storage_settings(root):
        yield root


def database_rows() -> dict[str, list[list[Any]]]:
    """Return every backed-up table's rows in primary-key order, as the archive writes them."""
    return {
        table.label: [
            [encode_value(value) for value in row]
            for row in table.model._base_manager.order_by("pk").values_list(*table.attnames)
        ]
        for table in included_tables()
    }


def file_hashes(root: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under ``root`` by its relative name."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def flush_tables() -> None:
    """Delete every row of the backed-up tables, as in an installation nobody has used."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in reversed(included_tables()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table.name)}")  # noqa: S608
