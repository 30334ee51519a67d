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
    SELF_SERVICE = "self.service"  # one's own grants, pledges, trainings, declarations
    PROGRAMME_VIEW = "programme.view"  # dashboard, checklist, findings, registers (names)
    CHECKLIST_EDIT = "checklist.edit"
    REGISTERS_EDIT = "registers.edit"  # technologies, assets, people, grants, reviews
    DECLARATIONS_VIEW = "declarations.view"  # side-job and 特定類型 declarations of others
    COMPANY_MANAGE = "company.manage"  # profile, stage, exceptions to derived checks
    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    ALL_SECRETS_VIEW = "secrets.view_all"  # every asset's details, without a grant
    BLACKBOX_USE = "blackbox.use"  # codename dictionary, sanitize and scan documents
    BLACKBOX_RESTORE = "blackbox.restore"  # turn codenames back into the real names
    WATCH_VIEW = "watch.view"  # departure watch: access logs and risk scores
    SCREENING_MANAGE = "screening.manage"  # end-user list, clear or confirm hits
    # Incidents (STEP 3-2) and the queue of concerns reported: the officer's alone.
    INCIDENTS_MANAGE = "incidents.manage"


_READ = {Capability.HANDBOOK_VIEW, Capability.SELF_SERVICE, Capability.PROGRAMME_VIEW}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.OFFICER: frozenset(Capability),
    Role.EXECUTIVE: frozenset(
        {
            *_READ,
            Capability.CHECKLIST_EDIT,
            Capability.REGISTERS_EDIT,
            Capability.DECLARATIONS_VIEW,
            Capability.BLACKBOX_USE,
        }
    ),
    Role.EDITOR: frozenset(
        {*_READ, Capability.CHECKLIST_EDIT, Capability.REGISTERS_EDIT, Capability.BLACKBOX_USE}
    ),
    Role.EMPLOYEE: frozenset({Capability.HANDBOOK_VIEW, Capability.SELF_SERVICE}),
    Role.AUDITOR: frozenset(
        {*_READ, Capability.AUDIT_VIEW, Capability.DECLARATIONS_VIEW, Capability.WATCH_VIEW}
    ),
}
