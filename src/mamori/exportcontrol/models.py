"""Export control (外為法) and investment screening (対内直接投資審査).

Licences and recorded judgements that none is needed, for giving a controlled (該当)
technology to a foreign counterparty or to a person under a 特定類型; catch-all checks
(用途 / 需要者) of disclosures abroad; METI's end-user list (外国ユーザーリスト) as
imported, with the screening of counterparties against it and the officer's decision on
every hit; foreign investors, the company's designated-sector declaration and funding
rounds.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import DeemedExportApproval, Technology
from mamori.core.models import BaseModel, PageModel, optional_ref, part_of, user_field
from mamori.disclosures.models import Disclosure
from mamori.partners.models import Counterparty
from mamori.people.models import Person

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]

LICENCE_NEEDS_REFERENCE = _("Give the licence number.")
JUDGEMENT_NEEDS_BASIS = _("Give the basis on which no licence is needed.")
ONE_RECIPIENT = _("Choose either a counterparty or a person, not both.")
ENDS_BEFORE_START = _("The end date is before the decision date.")


class AuthorizationKind(models.TextChoices):
    LICENCE = "licence", _("Licence (許可)")
    NOT_REQUIRED = "not_required", _("No licence needed (許可不要の判断)")


class ExportAuthorization(BaseModel):
    """A licence, or a recorded judgement that none is needed (who, when, on what basis),
    for giving a technology to a foreign counterparty or to a person under a 特定類型.

    A record for a counterparty covers its disclosures of the technology from the decision
    date to the end date; ``disclosure`` names the one disclosure a record made afterwards
    is for.
    """

    technology = models.ForeignKey(
        Technology,
        verbose_name=_("technology"),
        on_delete=models.PROTECT,
        related_name="export_authorizations",
    )
    counterparty = optional_ref(
        Counterparty, _("counterparty"), related_name="export_authorizations"
    )
    person = optional_ref(Person, _("person"), related_name="export_authorizations")
    disclosure = optional_ref(
        Disclosure, _("for the disclosure"), related_name="export_authorizations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorizationKind.choices)
    reference = models.CharField(_("licence number"), max_length=200, blank=True)
    basis = models.TextField(
        _("basis"),
        blank=True,
        help_text=_("e.g. the exception of the 貿易外省令 applied, or the licence's conditions"),
    )
    decided_by = models.CharField(_("judged by"), max_length=120)
    decided_on = models.DateField(_("decided on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The approval in the technology register that lets the deemed-export rule see a
    # record for a person (mamori.assets reads its own model).
    deemed_approval = models.ForeignKey(
        DeemedExportApproval,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    audit_parent_field = "technology"

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("export licence or judgement")
        verbose_name_plural = _("export licences and judgements")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(counterparty__isnull=False, person__isnull=True)
                    | models.Q(counterparty__isnull=True, person__isnull=False)
                ),
                name="export_authorization_one_recipient",
            )
        ]
        indexes = [models.Index(fields=["counterparty", "technology"])]

    def __str__(self) -> str:
        return self.reference or f"{self.get_kind_display()} {self.decided_on}"

    def clean(self) -> None:
        if (self.counterparty_id is None) == (self.person_id is None):
            raise ValidationError(ONE_RECIPIENT)
        if self.kind == AuthorizationKind.LICENCE and not self.reference.strip():
            raise ValidationError({"reference": LICENCE_NEEDS_REFERENCE})
        if self.kind == AuthorizationKind.NOT_REQUIRED and not self.basis.strip():
            raise ValidationError({"basis": JUDGEMENT_NEEDS_BASIS})
        if self.valid_until and self.decided_on and self.valid_until < self.decided_on:
            raise ValidationError({"valid_until": ENDS_BEFORE_START})

    @property
    def recipient(self) -> Counterparty | Person | None:
        return self.counterparty or self.person


class CatchAllConclusion(models.TextChoices):
    NO_CONCERN = "no_concern", _("No concern: no licence needed")
    LICENCE_NEEDED = "licence_needed", _("Concern: a licence is needed (ask METI)")
    STOPPED = "stopped", _("Concern: the provision was stopped")


class CatchAllCheck(BaseModel):
    """The catch-all check (キャッチオール規制) of a disclosure abroad of technology that is
    not list-controlled: its end use (用途要件), its end user (需要者要件) and whether METI
    informed us (インフォーム要件)."""

    disclosure = part_of(Disclosure, _("disclosure"), related_name="catch_all_checks")
    end_use = models.TextField(_("end use stated (用途)"))
    end_user = models.TextField(_("end user (需要者)"))
    military_end_use = models.BooleanField(
        _("the use could serve weapons of mass destruction or conventional weapons"),
        default=False,
    )
    end_user_listed = models.BooleanField(
        _("the end user is on the end-user list (外国ユーザーリスト)"), default=False
    )
    informed = models.BooleanField(_("METI has informed us (インフォーム)"), default=False)
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=CatchAllConclusion.choices
    )
    checked_by = models.CharField(_("checked by"), max_length=120)
    checked_on = models.DateField(_("checked on"))
    note = models.TextField(_("note"), blank=True)

    audit_parent_field = "disclosure"

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = _("catch-all check")
        verbose_name_plural = _("catch-all checks")

    def __str__(self) -> str:
        return f"{self.disclosure} {self.checked_on}"

    @property
    def has_concern(self) -> bool:
        return self.military_end_use or self.end_user_listed or self.informed


class EndUserList(BaseModel):
    """One import of the end-user list, as the user obtained it; the newest is in force."""

    label = models.CharField(_("version"), max_length=200)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    source_file = models.CharField(_("file"), max_length=255, blank=True)
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    imported_by = user_field(_("imported by"))
    screened_at = models.DateTimeField(_("counterparties last screened"), null=True, blank=True)

    name_field = "label"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("end-user list")
        verbose_name_plural = _("end-user lists")


class EndUserEntry(BaseModel):
    """An organisation on the list: country, names and aliases, category of concern.

    Entries are written in bulk with their list (the import is audited as one event).
    """

    end_user_list = part_of(EndUserList, _("end-user list"), related_name="entries")
    number = models.CharField(_("no."), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    country_text = models.CharField(_("country as listed"), max_length=100, blank=True)
    name = models.CharField(pgettext_lazy("end-user entry", "name"), max_length=500)
    aliases = models.JSONField(_("also known as"), default=list, blank=True)
    category = models.CharField(_("category of concern"), max_length=200, blank=True)
    # The name and country folded, to carry an officer's decision over to the next list.
    match_key = models.CharField(max_length=600, db_index=True)

    name_field = "name"
    audit_parent_field = "end_user_list"

    class Meta:
        ordering = ["end_user_list", "pk"]
        verbose_name = _("end-user list entry")
        verbose_name_plural = _("end-user list entries")

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class HitStatus(models.TextChoices):
    PENDING = "pending", _("To decide")
    CLEARED = "cleared", _("Cleared: not the listed organisation")
    CONFIRMED = "confirmed", _("Confirmed: the listed organisation")


class MatchKind(models.TextChoices):
    """How the names met; at the same score an exact match outranks a reordering, and a
    reordering a similar spelling (``match_rank``)."""

    EXACT = "exact", _("Exact match")
    WORD_ORDER = "word_order", _("Reordering")
    SIMILAR = "similar", _("Fuzzy match")


MATCH_RANK = {MatchKind.EXACT: 2, MatchKind.WORD_ORDER: 1, MatchKind.SIMILAR: 0}

_BASIS_TEXTS = {
    "exact": _(
        "Exact match: identical once width, case, punctuation and legal-form words are set aside"
    ),
    "word_order": _("Reordering: the same words in another order"),
    "similar": _("Fuzzy match: similar spelling (%(score)s/100)"),
    "transliterated": _("compared after romanizing the kana"),
    "alias": _("matches the alias “%(name)s”"),
    "country_same": _("same country (%(country)s)"),
    "country_differs": _("listed under another country (%(country)s); score lowered"),
}


class ScreeningHit(BaseModel):
    """A counterparty that may be an organisation on the list, with the score and the
    reason, and the officer's decision. A confirmed hit blocks disclosures not covered by
    a licence or a recorded judgement."""

    counterparty = part_of(Counterparty, _("counterparty"), related_name="screening_hits")
    entry = models.ForeignKey(
        EndUserEntry,
        verbose_name=_("list entry"),
        on_delete=models.PROTECT,
        related_name="hits",
    )
    screened_name = models.CharField(_("name screened"), max_length=200)
    matched_name = models.CharField(_("matched name"), max_length=500)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    reason = models.TextField(_("reason"))
    basis = models.JSONField(default=list, blank=True)
    match_kind = models.CharField(
        _("kind of match"), max_length=20, choices=MatchKind.choices, default=MatchKind.SIMILAR
    )
    match_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    status = models.CharField(
        _("decision"), max_length=20, choices=HitStatus.choices, default=HitStatus.PENDING
    )
    decided_by = user_field(_("decided by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("reasoning"), blank=True)

    audit_parent_field = "counterparty"

    class Meta:
        ordering = ["-score", "-match_rank", "-pk"]
        verbose_name = _("screening hit")
        verbose_name_plural = _("screening hits")
        constraints = [
            models.UniqueConstraint(fields=["counterparty", "entry"], name="hit_unique_entry")
        ]
        indexes = [models.Index(fields=["status", "counterparty"])]

    def __str__(self) -> str:
        return f"{self.screened_name} ≈ {self.matched_name}"

    def set_match_kind(self, basis: list[str] | tuple[str, ...]) -> None:
        """Set the kind of match (and its rank) from the screening engine's basis codes."""
        kind = basis[0] if basis and basis[0] in MatchKind.values else MatchKind.SIMILAR
        self.match_kind, self.match_rank = kind, MATCH_RANK[MatchKind(kind)]

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language: which kind of match it was, and what else
        the score rests on (an alias, kana romanized, the country)."""
        country = self.entry.country_text or self.entry.country if self.entry_id else ""
        values = {"score": f"{self.score:g}", "name": self.matched_name, "country": country}
        parts = [str(_BASIS_TEXTS[code]) % values for code in self.basis if code in _BASIS_TEXTS]
        return " / ".join(parts) or self.reason


class CounterpartyScreening(BaseModel):
    """That a counterparty, under this name and country, was screened against a list."""

    counterparty = models.ForeignKey(
        Counterparty, on_delete=models.CASCADE, related_name="screenings"
    )
    end_user_list = models.ForeignKey(
        EndUserList, on_delete=models.CASCADE, related_name="screenings"
    )
    screened_name = models.CharField(max_length=200)
    screened_country = models.CharField(max_length=2)
    screened_at = models.DateTimeField()
    hit_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-screened_at", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.UniqueConstraint(
                fields=["counterparty", "end_user_list"], name="screening_unique_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.screened_name} / {self.end_user_list_id}"


class CheckOutcome(models.TextChoices):
    REFUSED = "refused", _("Refused")
    ACCEPTED = "accepted", _("Accepted")


class DisclosureExportCheck(BaseModel):
    """What export control said when a disclosure was recorded: refused (and why) or
    accepted on the strength of which licences. Both outcomes are kept and audited."""

    counterparty = part_of(Counterparty, _("counterparty"), related_name="export_checks")
    disclosure = optional_ref(
        Disclosure, _("disclosure"), on_delete=models.CASCADE, related_name="export_checks"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=CheckOutcome.choices)
    reason = models.CharField(_("reason"), max_length=40)
    assets = models.JSONField(_("information"), default=list)
    technologies = models.JSONField(_("controlled technologies"), default=list)
    authorizations = models.ManyToManyField(
        ExportAuthorization, verbose_name=_("licences and judgements"), blank=True
    )
    message = models.TextField(_("message"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    audit_parent_field = "counterparty"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export check of a disclosure")
        verbose_name_plural = _("export checks of disclosures")

    def __str__(self) -> str:
        return f"{self.counterparty}: {self.get_outcome_display()}"


class InvestorCategory(models.TextChoices):
    # REFERENCE.md §4 (外為法 第26条第1項); indicative, see data/fdi.yaml.
    DOMESTIC = "domestic", _("Not a foreign investor")
    NON_RESIDENT_INDIVIDUAL = "non_resident_individual", _("Non-resident individual")
    FOREIGN_COMPANY = "foreign_company", _("Company or organisation under foreign law")
    FOREIGN_CONTROLLED = "foreign_controlled", _("Company 50% or more held by foreign investors")
    FOREIGN_FUND = "foreign_fund", _("Fund mostly of foreign investors")
    UNKNOWN = "unknown", _("Not yet determined")


FOREIGN_CATEGORIES = (
    InvestorCategory.NON_RESIDENT_INDIVIDUAL,
    InvestorCategory.FOREIGN_COMPANY,
    InvestorCategory.FOREIGN_CONTROLLED,
    InvestorCategory.FOREIGN_FUND,
)


class InvestorRelation(models.TextChoices):
    """Who the investor is to the business, whatever its nationality: the handbook's
    「買収等を通じた技術流出リスクも考慮して、資本政策を検討することも大切です」 (STEP 1) applies
    to a domestic competitor as much as to a foreign investor."""

    FINANCIAL = "financial", _("Financial investor (venture capital, bank, individual)")
    CORPORATE = "corporate", _("Operating company or its corporate venture arm (CVC)")
    COMPETITOR = "competitor", _("Competitor, or the corporate venture arm of one")


STRATEGIC_RELATIONS = (InvestorRelation.CORPORATE, InvestorRelation.COMPETITOR)


class InvestorProfile(BaseModel):
    """Whether an investor is a foreign investor (外国投資家), and how that was determined;
    and whether it is a competitor or an operating company's venture arm."""

    counterparty = models.OneToOneField(
        Counterparty,
        verbose_name=_("investor"),
        on_delete=models.CASCADE,
        related_name="investor_profile",
    )
    category = models.CharField(
        _("foreign-investor status"),
        max_length=30,
        choices=InvestorCategory.choices,
        default=InvestorCategory.UNKNOWN,
    )
    foreign_share = models.DecimalField(
        _("share held by foreign investors (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    state_owned = models.BooleanField(_("state-owned or government-related"), default=False)
    relation = models.CharField(
        _("relation to the business"),
        max_length=20,
        choices=InvestorRelation.choices,
        blank=True,
        help_text=_(
            "A competitor or an operating company's venture arm (CVC) with a board seat or "
            "access to non-public technology is flagged for the capital-policy review, "
            "domestic or foreign."
        ),
    )
    basis = models.TextField(_("how it was determined"), blank=True)
    checked_on = models.DateField(_("checked on"))

    audit_parent_field = "counterparty"

    class Meta:
        verbose_name = _("investor profile")
        verbose_name_plural = _("investor profiles")

    def __str__(self) -> str:
        return f"{self.counterparty}: {self.get_category_display()}"

    @property
    def is_foreign(self) -> bool:
        return self.category in FOREIGN_CATEGORIES

    @property
    def is_strategic(self) -> bool:
        return self.relation in STRATEGIC_RELATIONS


class SectorDeclaration(BaseModel):
    """The officer's declaration of the company's business against the designated sectors
    (指定業種) of inward-investment screening; the newest is in force."""

    sectors = models.JSONField(_("designated sectors"), default=list, blank=True)
    is_listed = models.BooleanField(_("the company's shares are listed"), default=False)
    note = models.TextField(_("reasoning"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_on = models.DateField(_("declared on"))

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("designated-sector declaration")
        verbose_name_plural = _("designated-sector declarations")

    def __str__(self) -> str:
        return f"{self.declared_on:%Y/%m/%d}: {self.audit_value_label('sectors', self.sectors)}"

    @classmethod
    def audit_value_label(cls, name: str, value: Any) -> str | None:
        if name != "sectors" or not isinstance(value, list):
            return None
        from mamori.exportcontrol.knowledge import investment_rules

        language = get_language() or "ja"
        names = {sector.id: sector.name.get(language) for sector in investment_rules().sectors}
        return "、".join(names.get(code, code) for code in value) or "-"


class RoundStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLOSED = "closed", _("Closed")


class FundingRound(PageModel, BaseModel):
    name = models.CharField(pgettext_lazy("funding round", "name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.PLANNED
    )
    planned_on = models.DateField(_("planned closing"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    page_url = "exportcontrol:round"
    name_field = "name"

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("funding round")
        verbose_name_plural = _("funding rounds")


class RoundParticipation(BaseModel):
    """An investor in a round: its stake afterwards, board seat, access to non-public
    technology, and the prior notification when one was filed."""

    funding_round = part_of(FundingRound, _("funding round"), related_name="participations")
    investor = models.ForeignKey(
        Counterparty,
        verbose_name=_("investor"),
        on_delete=models.PROTECT,
        related_name="round_participations",
    )
    stake = models.DecimalField(
        _("stake after the round (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    board_seat = models.BooleanField(_("board seat"), default=False)
    technology_access = models.BooleanField(_("access to non-public technology"), default=False)
    notification_filed_on = models.DateField(
        _("prior notification filed on"), null=True, blank=True
    )
    notification_reference = models.CharField(
        _("notification reference"), max_length=200, blank=True
    )
    # The capital-policy review of a competitor's or a CVC's seat or access (STEP 1).
    leakage_review = models.TextField(_("capital-policy review of the leakage risk"), blank=True)
    leakage_reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    leakage_reviewed_by = user_field(_("reviewed by"))

    audit_parent_field = "funding_round"

    class Meta:
        ordering = ["funding_round", "-stake", "pk"]
        verbose_name = _("round participation")
        verbose_name_plural = _("round participations")
        constraints = [
            models.UniqueConstraint(
                fields=["funding_round", "investor"], name="participation_unique_investor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.investor} ({self.stake}%)"
