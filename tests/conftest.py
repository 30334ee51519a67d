"""Fixtures shared by the whole suite: users of every role and signed-in clients."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

import pytest
from django.test import Client

from mamori.accounts import services as account_services
from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.company import services as company_services
from mamori.core.actor import acting_as

PASSWORD = "correct-horse-battery-9"
_usernames = itertools.count(1)


@pytest.fixture(autouse=True)
def audit_checkpoints(settings, tmp_path_factory):
    """Each test's own checkpoint folder: its database is rolled back afterwards, so a
    checkpoint one test writes (a digest run, a restore) would call the next one's log
    truncated."""
    settings.MAMORI_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit")


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    def make(role: str = Role.EDITOR, username: str | None = None, **fields) -> User:
        return account_services.user_create(
            username=username or f"{role}-{next(_usernames)}",
            password=PASSWORD,
            role=role,
            must_change_password=fields.pop("must_change_password", False),
            **fields,
        )

    return make


@pytest.fixture
def officer(make_user) -> User:
    return make_user(Role.OFFICER, "officer", display_name="佐藤 美咲")


@pytest.fixture
def executive(make_user) -> User:
    return make_user(Role.EXECUTIVE, "executive")


@pytest.fixture
def editor(make_user) -> User:
    return make_user(Role.EDITOR, "editor", display_name="鈴木 大輔")


@pytest.fixture
def employee(make_user) -> User:
    return make_user(Role.EMPLOYEE, "employee")


@pytest.fixture
def auditor(make_user) -> User:
    return make_user(Role.AUDITOR, "auditor")


@pytest.fixture
def client_as() -> Callable[[User], Client]:
    """Return a client signed in as the given user."""

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def company_at_stage(officer) -> Callable[[str], None]:
    """Set up the company profile and confirm the given stage, as the officer."""

    def setup(stage: str = "seed_early") -> None:
        with acting_as(officer):
            company_services.company_save(name="株式会社テスト技研", officer=officer)
            company_services.stage_decide(
                decided_by=officer, stage=stage, reason="テストのため直接設定"
            )

    return setup


@pytest.fixture
def officer_appointed(officer) -> None:
    """Record the officer's appointment, reviewed by the executives: what the checklist's
    organisation row (STEP 1) asks of the registers before it can be done."""
    from mamori.governance import services as governance_services
    from mamori.people import services as people_services

    with acting_as(officer):
        governance_services.appointment_save(
            person=people_services.person_create(name="佐藤 美咲（責任者）"),
            appointed_on=datetime.date(2026, 4, 1),
            mandate="技術流出対策を部署横断で統括し、四半期ごとに取締役会へ報告する。",
            reviewed_on=datetime.date(2026, 4, 3),
            reviewed_by="取締役会",
        )
