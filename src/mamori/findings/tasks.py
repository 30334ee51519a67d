"""Background work on findings, run by the task worker (``mamori db_worker``).

Pages never evaluate every rule: they queue this task (a new day, rules that a change
can only answer as a whole, the officer's "check again now"). In the tests the task
backend runs tasks at once.
"""

from __future__ import annotations

from django_tasks import task

from mamori.core.actor import Actor, acting_as


@task()
def findings_refresh_task(rules: list[str] | None = None) -> int:
    """Evaluate ``rules`` (every rule for ``None``) and store the findings; return how
    many are open."""
    from mamori.findings.services import findings_refresh

    with acting_as(Actor(user_id=None, label="worker:findings")):
        return findings_refresh(rules=rules).open
