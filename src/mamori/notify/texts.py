"""The digest's words, translated by gettext; ``digest.yaml`` refers to them by key."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# What a date of each due source means, keyed like the sources in digest.yaml.
DUE_TEXTS = {
    "checklist_row": _("Checklist row due"),
    "grant_ends": _("Access ends"),
    "access_review": _("Access review due"),
    "classification_rejudge": _("Export classification to be judged again"),
    "deemed_export_ends": _("Deemed-export licence or approval ends"),
    "export_authorization_ends": _("Export licence or judgement ends"),
    "contract_ends": _("Contract ends"),
    "sample_due": _("Sample due back"),
    "dd_expires": _("Due diligence expires"),
    "exhibition_starts": _("Exhibition starts"),
    "last_day": _("Last day of a leaver"),
    "round_closes": _("Funding round closes"),
}

SECTION_TITLES = {
    "summary": _("The programme today"),
    "waiting": _("Waiting for you"),
    "mine": _("My findings: yours to work"),  # besides those on what you own
    "findings": _("Findings on what you own"),
    "due": _("Due in the next %(days)s days"),
    "top": _("Open findings: new ones first, then the worst"),
}

PLEDGE_WAITING = _("Pledge to acknowledge: %(title)s")
REQUESTED_ON = _("requested on %(date)s")
APPROVAL_WAITING = _("To decide: %(label)s, %(description)s")
APPROVAL_ASKED_BY = _("asked by %(name)s on %(date)s")
