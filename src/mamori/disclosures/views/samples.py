"""Views of the disclosures area: samples. Its URLs are listed at the end (see ../urls.py)."""

from __future__ import annotations

urlpatterns: list = []
