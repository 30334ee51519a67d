"""What ``mamori export`` and ``mamori import`` share: who acts, and the registers named."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mamori.accounts.models import User
from mamori.company.selectors import company_get
from mamori.core.actor import Actor
from mamori.exchange.spec import Register, get_registry


def officer_and_actor(label: str) -> tuple[User | None, object]:
    """Return the officer (``None`` before one is set) and whom the log names: the
    command line acts as the officer, named ``label`` when there is none."""
    company = company_get()
    officer = company.officer if company is not None and company.officer_id else None
    return officer, officer if officer is not None else Actor(user_id=None, label=label)


def registers_named(names: list[str] | None) -> list[Register] | None:
    if not names:
        return None
    registry = get_registry()
    found = []
    for name in names:
        register = registry.find(name)
        if register is None:
            raise CommandError(
                _("There is no register “%(name)s”; the registers are: %(names)s.")
                % {"name": name, "names": ", ".join(r.name for r in registry)}
            )
        found.append(register)
    return found
