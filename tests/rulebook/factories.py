"""Information-management rules for tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mamori.people.models import Person
from mamori.rulebook import services
from mamori.rulebook.models import RuleDocument, RuleVersion
from tests.contracts.factories import officer_user


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def rules(title: str = "情報管理規程") -> RuleDocument:
    return RuleDocument.objects.filter(title=title).first() or services.rule_document_save(
        user=officer_user(), title=title, covers="秘密情報の取扱いと、業務で使う機器・ソフトウェア"
    )


def version(
    label: str = "第1版",
    *,
    effective_from: datetime.date | None = None,
    title: str = "情報管理規程",
) -> RuleVersion:
    return services.rule_version_publish(
        document=rules(title),
        user=officer_user(),
        label=label,
        effective_from=effective_from or days_ago(60),
        text="第1条 秘密情報は、業務上必要な者だけが扱う。",
    )


def acknowledge(version_: RuleVersion, person: Person, on: datetime.date | None = None):
    return services.rule_acknowledge(
        version=version_, person=person, user=officer_user(), acknowledged_on=on or days_ago(30)
    )
