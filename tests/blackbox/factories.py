"""Builders for the codename dictionary, through the services."""

from __future__ import annotations

from collections.abc import Iterable

from mamori.assets.models import InformationAsset
from mamori.blackbox import services
from mamori.blackbox.models import Term


def term(
    text: str,
    category: str = "material",
    *,
    codename: str = "",
    variants: Iterable[str] = (),
    assets: Iterable[InformationAsset] = (),
) -> Term:
    return services.term_save(
        text=text,
        category=category,
        codename=codename,
        variants=list(variants),
        assets=list(assets),
    )


def word_file(*paragraphs: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
