"""The departure watch: how log accounts and objects are matched, what was imported, and
the results of the latest analysis.

The events themselves live in a DuckDB file under the data directory
(``mamori.engines.watch.Store``), never in the application database. Here are only the
officer's settings and aliases (audited), the import and analysis history (audited), and
the stored results of the latest analysis (derived data, rebuilt by every run, not
audited: the run that produced them is).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.core.models import BaseModel, part_of, user_field
from mamori.people.models import Person


class AccountAlias(BaseModel):
    """An account name under which a person appears in logs, besides their e-mail."""

    person = part_of(Person, _("person"), related_name="watch_aliases")
    account = models.CharField(
        _("account"),
        max_length=200,
        unique=True,
        help_text=_("e.g. CORP\\yamamoto, s.yamamoto@example.co.jp; case is ignored"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    name_field = "account"
    audit_parent_field = "person"

    class Meta:
        ordering = ["account"]
        verbose_name = _("account alias")
        verbose_name_plural = _("account aliases")


class AssetPath(BaseModel):
    """A path, folder or file name under which an information asset appears in logs."""

    asset = part_of(InformationAsset, _("information asset"), related_name="watch_paths")
    pattern = models.CharField(
        _("path or name"),
        max_length=500,
        unique=True,
        help_text=_(
            "A folder or file path (\\\\fs01\\rd\\conditions, https://…/sites/rd/…) matches it "
            "and everything in it; a name without a slash matches every file whose name "
            "contains it."
        ),
    )

    name_field = "pattern"
    audit_parent_field = "asset"

    class Meta:
        ordering = ["pattern"]
        verbose_name = _("asset path")
        verbose_name_plural = _("asset paths")


class WatchSettings(BaseModel):
    """The analysis settings (one row, ``pk=1``)."""

    before_days = models.PositiveSmallIntegerField(_("days watched before the notice"), default=90)
    after_days = models.PositiveSmallIntegerField(_("days watched after the notice"), default=30)
    work_start_hour = models.PositiveSmallIntegerField(_("working hours start (hour)"), default=8)
    work_end_hour = models.PositiveSmallIntegerField(_("working hours end (hour)"), default=20)
    threshold = models.PositiveSmallIntegerField(
        _("risk score reported as a finding from"), default=50
    )
    company_domains = models.CharField(
        _("the company's e-mail domains"),
        max_length=500,
        blank=True,
        help_text=_(
            "Separated by spaces or commas, e.g. example.co.jp example.com. Sharing with any "
            "other domain counts as sharing outside the company."
        ),
    )

    def domains(self) -> tuple[str, ...]:
        return tuple(d for d in self.company_domains.replace(",", " ").split() if d)

    class Meta:
        verbose_name = _("settings of the departure watch")
        verbose_name_plural = _("settings of the departure watch")

    def __str__(self) -> str:
        return str(_("Settings of the departure watch"))


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    ALREADY = "already", _("Already imported")
    FAILED = "failed", _("Not imported")


class LogImport(BaseModel):
    """One log file imported (or refused), with its summary."""

    file_name = models.CharField(_("file"), max_length=300)
    format = models.CharField(_("format"), max_length=20)
    fingerprint = models.CharField(_("fingerprint (SHA-256)"), max_length=64, blank=True)
    status = models.CharField(_("result"), max_length=20, choices=ImportStatus.choices)
    records = models.PositiveBigIntegerField(_("records read"), default=0)
    added = models.PositiveBigIntegerField(_("events added"), default=0)
    duplicates = models.PositiveBigIntegerField(_("already stored"), default=0)
    skipped = models.PositiveBigIntegerField(_("lines skipped"), default=0)
    errors = models.JSONField(_("lines skipped, with the reason"), default=list, blank=True)
    first_time = models.DateTimeField(_("first event"), null=True, blank=True)
    last_time = models.DateTimeField(_("last event"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    imported_by = user_field(_("imported by"))

    audit_exclude = BaseModel.audit_exclude | {"errors"}

    name_field = "file_name"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("log import")
        verbose_name_plural = _("log imports")

    @classmethod
    def audit_value_label(cls, name: str, value: Any) -> str | None:
        if name != "format":
            return None
        from mamori.engines.watch import FORMAT_TEXT

        text = FORMAT_TEXT.get(value)
        if text is None:
            return None
        return text[1] if (get_language() or "ja").startswith("en") else text[0]


class AnalysisRun(BaseModel):
    """One run of the analysis; the results below belong to the latest run."""

    ran_by = user_field(_("run by"))
    today = models.DateField(_("as of"))
    before_days = models.PositiveSmallIntegerField(_("days before the notice"))
    after_days = models.PositiveSmallIntegerField(_("days after the notice"))
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    events = models.PositiveBigIntegerField(_("events in the store"), default=0)
    matched_events = models.PositiveBigIntegerField(_("events matched to people"), default=0)
    first_day = models.DateField(_("first day in the logs"), null=True, blank=True)
    last_day = models.DateField(_("last day in the logs"), null=True, blank=True)
    watched = models.PositiveIntegerField(_("people watched"), default=0)
    flagged = models.PositiveIntegerField(_("people above the threshold"), default=0)
    unmatched = models.PositiveIntegerField(_("unmatched accounts"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")

    def __str__(self) -> str:
        return f"{self.today} ({self.watched})"


class PersonRisk(models.Model):
    """A watched person's result in a run (derived data; the run is audited)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="watch_results")
    score = models.PositiveSmallIntegerField(_("risk score"), db_index=True)
    anchor = models.DateField(_("notice"))
    window_start = models.DateField()
    window_end = models.DateField()
    own_baseline = models.BooleanField(default=True)
    reasons = models.JSONField(default=list)  # [{code, points, ja, en}], most points first
    indicators = models.JSONField(default=list)  # [{indicator, total, usual, ...}]
    series = models.JSONField(default=list)  # [[day, [counts...], [unusual...]], ...]
    top_events = models.JSONField(default=list)

    class Meta:
        ordering = ["-score", "anchor", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="watch_risk_unique_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.score}"


class UnmatchedAccount(models.Model):
    """A log account the latest run could not match to anyone (derived data)."""

    run = models.ForeignKey(
        AnalysisRun, on_delete=models.CASCADE, related_name="unmatched_accounts"
    )
    account = models.CharField(_("account"), max_length=300)
    events = models.PositiveBigIntegerField(_("events"))
    first_time = models.DateTimeField(_("first event"), null=True)
    last_time = models.DateTimeField(_("last event"), null=True)

    class Meta:
        ordering = ["-events", "account"]

    def __str__(self) -> str:
        return self.account
