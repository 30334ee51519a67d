"""Who is acting: the request's user, or a named actor for CLI commands and jobs.

The audit log reads it when it writes an entry; every app's commands set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from mamori.core.client import client_address


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str
    remote_addr: str = ""


SYSTEM = Actor(user_id=None, label="system")
ANONYMOUS = "anonymous"  # the label of a request's actor nobody is signed in to

# Either an ``Actor`` or a request whose user is read when an entry is written, so that
# a sign-in in the middle of a request is attributed to the user who just signed in.
_current: ContextVar[Any] = ContextVar("mamori_audit_actor", default=SYSTEM)


def actor_for_user(user: Any, remote_addr: str = "") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, label=ANONYMOUS, remote_addr=remote_addr)
    return Actor(user_id=user.pk, label=user.get_username(), remote_addr=remote_addr)


def current_actor() -> Actor:
    """Return the actor to whom a change happening now is attributed."""
    source = _current.get()
    if isinstance(source, Actor):
        return source
    return actor_for_user(getattr(source, "user", None), client_address(source))


def acting_as_system() -> bool:
    """Return whether the change happening now is made by no user: a command or job the
    server's administrator runs (the demo, an import from the command line), not a request."""
    actor = current_actor()
    return actor.user_id is None and actor.label != ANONYMOUS


@contextmanager
def acting_as(source: Any) -> Iterator[None]:
    """Attribute changes inside the block to ``source`` (an ``Actor``, a user or a request)."""
    if not isinstance(source, Actor) and not hasattr(source, "META"):
        source = actor_for_user(source)
    token = _current.set(source)
    try:
        yield
    finally:
        _current.reset(token)
