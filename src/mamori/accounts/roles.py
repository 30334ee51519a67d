"""Roles and what each may do: the one table every permission check reads."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    EXECUTIVE = "executive", _("Executive")
    EDITOR = "editor", _("Editor")
    EMPLOYEE = "employee", _("Employee")
    AUDITOR = "auditor", _("Auditor")


class Capability(StrEnum):
    HANDBOOK_VIEW = "handbook.view"
    PROGRAMME_VIEW = "programme.view"
    CHECKLIST_EDIT = "checklist.edit"
    COMPANY_MANAGE = "company.manage"
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OFFICER: frozenset(Capability),
    Role.EXECUTIVE: frozenset(
        {Capability.HANDBOOK_VIEW, Capability.PROGRAMME_VIEW, Capability.CHECKLIST_EDIT}
    ),
    Role.EDITOR: frozenset(
        {Capability.HANDBOOK_VIEW, Capability.PROGRAMME_VIEW, Capability.CHECKLIST_EDIT}
    ),
    Role.EMPLOYEE: frozenset({Capability.HANDBOOK_VIEW}),
    Role.AUDITOR: frozenset(
        {Capability.HANDBOOK_VIEW, Capability.PROGRAMME_VIEW, Capability.AUDIT_VIEW}
    ),
}
