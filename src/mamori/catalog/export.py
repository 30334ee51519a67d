"""The catalog as plain data, for ``mamori catalog export`` and other tools."""

from __future__ import annotations

from typing import Any

from mamori.catalog.loader import Catalog
from mamori.catalog.schema import Text


def _text(prefix: str, text: Text | None) -> dict[str, str]:
    return {f"{prefix}_ja": text.ja, f"{prefix}_en": text.en} if text else {}


def catalog_as_dict(catalog: Catalog) -> dict[str, Any]:
    """Return the catalog's stages, checklists, cases, contacts and more as plain data."""
    return {
        "handbook": {
            "id": catalog.handbook.id,
            **_text("title", catalog.handbook.title),
            **_text("subtitle", catalog.handbook.subtitle),
            "published": catalog.handbook.published,
        },
        "stages": [
            {
                "id": stage.id,
                **_text("name", stage.name),
                **_text("definition", stage.definition),
            }
            for stage in catalog.stages
        ],
        "channels": [
            {"id": channel.id, **_text("name", channel.name)} for channel in catalog.channels
        ],
        "checklists": {
            stage.id: [
                {
                    "id": row.id,
                    "channel": row.channel,
                    **_text("title", row.title),
                    "guidance_pages": row.guidance_pages,
                    "guidance_printed": row.guidance,
                }
                for row in catalog.rows_for_stage(stage.id)
            ]
            for stage in catalog.stages
        },
        "cases": [
            {
                "id": case.id,
                "stage": case.stage,
                "number": case.number,
                **_text("title", case.title),
            }
            for case in catalog.cases
        ],
        "columns": [
            {"id": column.id, "stage": column.stage, **_text("title", column.title)}
            for column in catalog.columns
        ],
        "related_systems": [
            {
                "id": system.id,
                **_text("title", system.title),
                "urls": [catalog.link(link).url for link in system.links],
            }
            for system in catalog.related_systems
        ],
        "contacts": [
            {
                "id": contact.id,
                "name_ja": f"{contact.organisation.ja} {contact.department.ja}",
                "name_en": f"{contact.organisation.en}, {contact.department.en}",
                "phone": contact.phone,
                "extension": contact.extension,
                "phone_printed": contact.phone_printed,
                "email": contact.email,
                "url": contact.url,
            }
            for contact in catalog.contacts
        ],
        "links": [
            {"id": link.id, **_text("title", link.title), "url": link.url} for link in catalog.links
        ],
    }
