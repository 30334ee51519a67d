"""Writes of the digest: a user's choice, and sending the digests."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.audit.checkpoints import checkpoint_write
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress
from mamori.notify.digest import Digest, digest_build
from mamori.notify.mail import digest_message
from mamori.notify.models import DigestPreference, DigestState
from mamori.notify.selectors import digest_collect, digest_recipients

__all__ = ["SendResult", "digests_send", "preference_set"]

MAIL_SERVER_DOWN = gettext_lazy(
    "The mail server cannot be reached (%(error)s); no digest was sent."
)
BAD_BACKEND = gettext_lazy(
    "The e-mail backend %(backend)s cannot be loaded (%(error)s). Set MAMORI_EMAIL_BACKEND "
    "to smtp, file, console or the dotted path of a backend."
)
NO_SUCH_USER = gettext_lazy("No active user with an e-mail address is called %(username)s.")


@transaction.atomic
def preference_set(*, user: User, enabled: bool) -> DigestPreference:
    """Turn ``user``'s digest on or off (the change is audited)."""
    # Created with the default first, so that the log shows the change itself (a new
    # row's False would not appear among its values).
    preference, _ = DigestPreference.objects.get_or_create(user=user)
    if preference.digest_enabled != enabled:
        preference.digest_enabled = enabled
        preference.save()
    return preference


@dataclass
class SendResult:
    """What a run did, for the summary and for tests."""

    sent: list[str] = field(default_factory=list)  # usernames
    nothing_to_say: int = 0
    opted_out: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (username, reason)
    items: int = 0
    seconds: float = 0.0


def _send(digest: Digest, connection: object) -> None:
    digest_message(digest, connection=connection).send()
    DigestState.objects.update_or_create(
        user=digest.user,
        defaults={"last_sent_at": timezone.now(), "last_items": digest.item_count},
    )


def digests_send(
    *,
    dry_run: bool = False,
    username: str = "",
    today: datetime.date | None = None,
    progress: Progress | None = None,
    on_digest: Callable[[Digest], None] | None = None,
) -> SendResult:
    """Send each active user with an e-mail address the digest of what is theirs.

    Users who turned the digest off, and users with nothing to be told, get no mail. With
    ``dry_run`` nothing is sent (``on_digest`` still sees every digest that would be).
    One failed mail (an SMTP error) is reported and does not stop the others. Raise
    ``ApplicationError`` when ``username`` names no such user.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    users = list(digest_recipients(username))
    if username and not users:
        raise ApplicationError(NO_SUCH_USER % {"username": username})
    if not dry_run:
        # A signed checkpoint of the audit log at each run; the officer's digest carries
        # the same head, a copy kept outside the server.
        checkpoint_write()
    data = digest_collect(today=today)
    result = SendResult()
    progress.step("digest", total=len(users))
    try:
        connection = None if dry_run else get_connection()
    except ImportError as exc:
        raise ApplicationError(
            BAD_BACKEND % {"backend": settings.EMAIL_BACKEND, "error": exc}
        ) from exc
    if connection is not None:
        try:
            connection.open()
        except OSError as exc:
            raise ApplicationError(MAIL_SERVER_DOWN % {"error": exc}) from exc
    try:
        for user in users:
            progress.advance()
            if user.opted_out:
                result.opted_out += 1
                continue
            digest = digest_build(user, data)
            if digest.is_empty:
                result.nothing_to_say += 1
                continue
            if on_digest is not None:
                on_digest(digest)
            if not dry_run:
                try:
                    _send(digest, connection)
                except OSError as exc:  # smtplib.SMTPException is an OSError
                    result.failed.append((user.username, str(exc)))
                    continue
            result.sent.append(user.username)
            result.items += digest.item_count
    finally:
        if connection is not None:
            connection.close()
    result.seconds = time.perf_counter() - started
    return result
