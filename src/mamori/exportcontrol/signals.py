"""Screen a counterparty against the end-user list once it is created or renamed.

The partners area knows nothing of export control; listening to its saves keeps it so.
The screening runs after the transaction commits (a rolled-back change is never
screened) and only when the name or country differs from what was last screened.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def screen_counterparty_on_commit(sender: Any, instance: Any, raw: bool = False, **kwargs: Any):
    if raw:  # loading fixtures
        return
    from mamori.exportcontrol.services.screening import counterparty_screen_if_needed

    pk = instance.pk
    transaction.on_commit(lambda: counterparty_screen_if_needed(pk))
