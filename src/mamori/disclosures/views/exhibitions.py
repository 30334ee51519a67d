"""Views of the disclosures area: exhibitions. Its URLs are listed at the end (see ../urls.py)."""

from __future__ import annotations

urlpatterns: list = []
