"""The order in which mamori's packages may depend on one another, lowest first.

A package may import the packages of the layers below its own and nothing above; the
packages of one layer are independent of one another. ``engines`` are plain Python and
import no app; ``core`` is the shared base every app uses. An app that needs to add to a
lower app's page or step registers itself there at start-up (``core.panels``, the
disclosure ledger's gates, the people import's transfer) instead of being imported by it.

``tests/core/test_layers.py`` fails on an import that points up, on a cycle between apps,
and on a package that is missing here.
"""

from __future__ import annotations

LAYERS: tuple[tuple[str, ...], ...] = (
    ("engines", "layers"),
    ("core", "formats"),
    ("accounts",),
    ("audit",),
    ("catalog",),
    ("company",),
    ("findings",),
    ("approvals",),
    ("assessment",),
    ("people",),
    ("assets", "rulebook"),
    ("lifecycle",),
    ("partners",),
    ("contracts",),
    ("disclosures",),
    ("exportcontrol",),
    ("sites", "blackbox", "exchange", "backup", "incidents", "governance"),
    ("reports",),
    ("notify",),
    ("api",),
    ("watch",),
    ("demo",),
    # The project's wiring: settings, URL configuration and entry points.
    ("settings", "urls", "cli", "wsgi"),
    ("__main__",),
)

# What lies under ``src/mamori`` besides packages and modules of its own.
NOT_PACKAGES = frozenset({"__init__.py", "locale", "templates", "__pycache__"})


def layer_of(package: str) -> int:
    """Return the index of ``package``'s layer; raise ``KeyError`` for an unknown one."""
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise KeyError(package)
