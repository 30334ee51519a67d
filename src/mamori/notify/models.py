"""Who wants the e-mail digest, and when each person last got one.

A user without a preference row gets the digest: the row exists only once someone has
changed their choice, and that change is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel


class DigestPreference(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_preference",
    )
    digest_enabled = models.BooleanField(_("send me the e-mail digest"), default=True)

    class Meta:
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")

    def __str__(self) -> str:
        return f"{self.user}: {'on' if self.digest_enabled else 'off'}"


class DigestState(models.Model):
    """The last digest sent to a user: the officer's "new since the last digest" starts
    there. Bookkeeping of the mailer, not a record anyone edits, so it is not audited."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_state"
    )
    last_sent_at = models.DateTimeField(_("last digest sent at"))
    last_items = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.last_sent_at}"
