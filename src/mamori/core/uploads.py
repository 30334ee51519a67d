"""Upload size limit enforced while the request body is read.

The handler stops storing a file as soon as it grows past ``MAMORI_MAX_UPLOAD_BYTES``,
so that an oversized upload never fills the disk; it notes the field on the request
and ``UploadLimitFormMixin`` turns the note into a form error the user can read.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.core.errors import ApplicationError

OVERSIZED_ATTRIBUTE = "mamori_oversized_uploads"
EMPTY_FILE = gettext_lazy("“%(name)s” is empty; nothing was stored.")


class SizeLimitUploadHandler(FileUploadHandler):
    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > settings.MAMORI_MAX_UPLOAD_BYTES:
            oversized = getattr(self.request, OVERSIZED_ATTRIBUTE, {})
            oversized[self.field_name] = self.file_name
            setattr(self.request, OVERSIZED_ATTRIBUTE, oversized)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_limit_message(file_name: str) -> str:
    return _("“%(name)s” is larger than the limit of %(limit)s; nothing was stored.") % {
        "name": file_name,
        "limit": filesizeformat(settings.MAMORI_MAX_UPLOAD_BYTES),
    }


class UploadLimitFormMixin:
    """Give a form the request so it can report files the size limit skipped."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._oversized = getattr(request, OVERSIZED_ATTRIBUTE, {}) if request else {}

    def clean(self):
        cleaned = super().clean()
        for field, file_name in self._oversized.items():
            if field in self.fields:
                # The file was skipped, so the field also reads as missing; say why instead.
                self._errors.pop(field, None)
                self.add_error(field, upload_limit_message(file_name))
        return cleaned


def upload_name(upload: UploadedFile) -> str:
    """Return the upload's file name without any folder a browser sent, at most 255 long."""
    return (upload.name or "file").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]


def upload_check(upload: UploadedFile, *, field: str = "file") -> str:
    """Return the name of an upload that may be stored.

    Raise ``ApplicationError`` (on ``field``) when the file is empty or larger than
    ``MAMORI_MAX_UPLOAD_BYTES`` (a check for callers that did not go through the upload
    handler, such as the API and the CLI).
    """
    name = upload_name(upload)
    if not upload.size:
        raise ApplicationError(str(EMPTY_FILE % {"name": name}), field=field)
    if upload.size > settings.MAMORI_MAX_UPLOAD_BYTES:
        raise ApplicationError(upload_limit_message(name), field=field)
    return name


def upload_sha256(upload: UploadedFile) -> str:
    """Return the SHA-256 digest of an upload (hex), read in chunks; rewind it afterwards."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


M = TypeVar("M", bound=models.Model)


def save_with_file(instance: M, file: FieldFile, name: str, content: File) -> M:
    """Store ``content`` under ``name`` in ``file`` (a file field of ``instance``), then save
    ``instance``; when the row cannot be written, the stored file is deleted again."""
    file.save(name, content, save=False)
    try:
        instance.save()
    except Exception:
        file.delete(save=False)
        raise
    return instance
