"""Reads of the black-boxing area: the dictionary (as rows and compiled for the engine)
and the history of sanitized documents."""

from __future__ import annotations

import threading

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset
from mamori.blackbox.models import Sanitization, Term
from mamori.engines import codenames as engine

_lock = threading.Lock()
_compiled: dict[str, object] = {"key": None, "dictionary": None}


def term_list(*, category: str = "", query: str = "") -> QuerySet[Term]:
    """Return the terms, filtered by category and by a text found in the term, its
    codename or its other spellings; with their linked assets."""
    terms = Term.objects.prefetch_related(
        Prefetch("assets", queryset=InformationAsset.objects.only("pk", "name").order_by("name"))
    )
    if category:
        terms = terms.filter(category=category)
    if query:
        folded = engine.normalize(query.strip())
        terms = terms.filter(
            Q(text__icontains=query)
            | Q(codename__icontains=query)
            | Q(normalized__contains=folded)
            | Q(codename_normalized__contains=folded)
            | Q(variants__icontains=query)
        )
    return terms.order_by("category", "codename", "pk")


def category_counts() -> dict[str, int]:
    return dict(Term.objects.values_list("category").annotate(n=Count("pk")).order_by())


def engine_dictionary() -> engine.Dictionary:
    """Return the dictionary compiled for the engine, rebuilt only when a term changed.

    Raise ``engine.DictionaryError`` when the stored terms do not form a dictionary (the
    services keep them consistent, so this means the data was changed behind them).
    """
    stamp = Term.objects.aggregate(count=Count("pk"), last=Max("updated_at"), ids=Sum("pk"))
    key = (stamp["count"], stamp["last"], stamp["ids"])
    with _lock:
        if _compiled["key"] == key and _compiled["dictionary"] is not None:
            return _compiled["dictionary"]
        rows = Term.objects.order_by("pk").values_list(
            "pk", "text", "category", "codename", "variants"
        )
        dictionary = engine.Dictionary(
            engine.Term(
                text=text,
                category=engine.Category(category),
                codename=codename,
                variants=tuple(variants or ()),
                key=pk,
            )
            for pk, text, category, codename, variants in rows
        )
        _compiled["key"], _compiled["dictionary"] = key, dictionary
        return dictionary


def sanitization_list(*, query: str = "", counterparty: int | None = None) -> QuerySet:
    items = Sanitization.objects.select_related("created_by", "counterparty", "disclosure")
    if query:
        items = items.filter(
            Q(file_name__icontains=query)
            | Q(output_name__icontains=query)
            | Q(output_sha256__istartswith=query.strip().lower())
        )
    if counterparty:
        items = items.filter(counterparty_id=counterparty)
    return items.order_by("-created_at", "-pk")


def sanitization_detail(pk: int) -> Sanitization | None:
    """Return one entry of the history with who made it and for whom, or ``None``."""
    return (
        Sanitization.objects.select_related("created_by", "counterparty", "contract", "disclosure")
        .filter(pk=pk)
        .first()
    )


def term_detail(pk: int) -> Term | None:
    """Return a term of the dictionary with its information assets, or ``None``."""
    return Term.objects.prefetch_related("assets").filter(pk=pk).first()


def can_download(sanitization: Sanitization, user: User) -> bool:
    """Return whether ``user`` may download the kept file now: it is confirmed, not yet
    expired, and the user made it (or is the officer)."""
    if not sanitization.output or sanitization.confirmed_at is None:
        return False
    if sanitization.expires_at is None or sanitization.expires_at <= timezone.now():
        return False
    return sanitization.created_by_id == user.pk or user.has_capability(Capability.BLACKBOX_RESTORE)


def linked_assets(term_ids: list[int]) -> QuerySet[InformationAsset]:
    """Return the information assets linked to the given terms."""
    return (
        InformationAsset.objects.filter(codename_terms__in=term_ids)
        .select_related("secrecy_class")
        .distinct()
        .order_by("name", "pk")
    )
