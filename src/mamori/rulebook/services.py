"""Writes of the information-management rules: documents, versions, acknowledgements."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.uploads import save_with_file, upload_check, upload_sha256
from mamori.core.validation import validate_instance, validated_save
from mamori.people.models import Person, PersonStatus
from mamori.rulebook.models import RuleAcknowledgement, RuleDocument, RuleVersion

__all__ = [
    "rule_acknowledge",
    "rule_document_save",
    "rule_version_publish",
]

ONLY_OFFICER = gettext_lazy("Only the officer may publish the information-management rules.")
TEXT_OR_FILE = gettext_lazy("Give the text of the rules or upload the file.")
LABEL_TAKEN = gettext_lazy("This document already has a version “%(label)s”.")
IN_FUTURE = gettext_lazy("The date is in the future.")
DEPARTED = gettext_lazy("%(person)s has left the company.")


def _officer(user: User) -> None:
    if not user.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER))


@transaction.atomic
def rule_document_save(
    *, user: User, document: RuleDocument | None = None, title: str, covers: str = ""
) -> RuleDocument:
    """Create or rename a set of rules. Raise ``NotPermitted`` for anyone but the officer
    and ``ApplicationError`` for a missing or taken title."""
    _officer(user)
    document = document or RuleDocument()
    document.title, document.covers = title.strip(), covers.strip()
    return validated_save(document)


@transaction.atomic
def rule_version_publish(
    *,
    document: RuleDocument,
    user: User,
    label: str,
    effective_from: datetime.date,
    text: str = "",
    upload: UploadedFile | None = None,
    changes: str = "",
) -> RuleVersion:
    """Publish a version of ``document`` (its text, or a file kept with its SHA-256): from
    ``effective_from`` it is the version in force, and everyone in service is asked to
    acknowledge it.

    Raise ``NotPermitted`` for anyone but the officer and ``ApplicationError`` without
    text or file, for a label the document already has, or for a file that is empty or
    larger than ``MAMORI_MAX_UPLOAD_BYTES``. Nothing is stored then.
    """
    _officer(user)
    label, text = label.strip(), text.strip()
    if not text and upload is None:
        raise ApplicationError(str(TEXT_OR_FILE), field="text")
    if RuleVersion.objects.filter(document=document, label=label).exists():
        raise ApplicationError(str(LABEL_TAKEN % {"label": label}), field="label")
    version = RuleVersion(
        document=document,
        label=label,
        effective_from=effective_from,
        text=text,
        changes=changes.strip(),
        published_by=user,
    )
    if upload is not None:
        version.original_name = upload_check(upload, field="upload")
        version.size = upload.size
        version.sha256 = upload_sha256(upload)
    validate_instance(version, exclude=["file"])
    if upload is not None:
        return save_with_file(version, version.file, version.original_name, upload)
    version.save()
    return version


@transaction.atomic
def rule_acknowledge(
    *,
    version: RuleVersion,
    person: Person,
    user: User,
    acknowledged_on: datetime.date | None = None,
) -> RuleAcknowledgement:
    """Record that ``person`` read and will follow ``version`` (once: acknowledging again
    returns the first record). A person acknowledges for themself; the officer may record
    an acknowledgement given on paper.

    Raise ``NotPermitted`` when ``user`` is neither the person nor the officer, and
    ``ApplicationError`` for a person who has left or a date in the future.
    """
    own = person.user_id is not None and person.user_id == user.pk
    if not own and not user.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER))
    if person.status == PersonStatus.DEPARTED:
        raise ApplicationError(str(DEPARTED % {"person": person.name}))
    today = timezone.localdate()
    acknowledged_on = acknowledged_on or today
    if acknowledged_on > today:
        raise ApplicationError(str(IN_FUTURE), field="acknowledged_on")
    existing = RuleAcknowledgement.objects.filter(version=version, person=person).first()
    if existing is not None:
        return existing
    return RuleAcknowledgement.objects.create(
        version=version, person=person, acknowledged_on=acknowledged_on, recorded_by=user
    )
