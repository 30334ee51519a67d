"""Writes of the disclosures area: exhibitions."""

from __future__ import annotations
