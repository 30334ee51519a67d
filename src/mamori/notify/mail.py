"""A digest as an e-mail: plain text with an HTML alternative, in the recipient's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mamori.company.selectors import company_get
from mamori.notify.digest import Digest, absolute_url

__all__ = ["digest_message"]


def digest_message(digest: Digest, *, connection: Any = None) -> EmailMultiAlternatives:
    """Return the e-mail for ``digest`` (not sent)."""
    company = company_get()
    with translation.override(digest.language):
        context = {
            "digest": digest,
            "user": digest.user,
            "company": company.name if company else "",
            "today": date_format(digest.today, "DATE_FORMAT"),
            "base_url": settings.MAMORI_BASE_URL,
            "preferences_url": absolute_url("notify:preferences"),
            "LANGUAGE_CODE": digest.language,
        }
        subject = _("[mamori] What needs your attention on %(date)s (%(count)s)") % {
            "date": context["today"],
            "count": digest.item_count,
        }
        text = render_to_string("notify/email/digest.txt", context)
        html = render_to_string("notify/email/digest.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.user.email],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated", "X-Mamori-Digest": digest.today.isoformat()},
    )
    message.attach_alternative(html, "text/html")
    return message
