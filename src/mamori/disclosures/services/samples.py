"""Writes of the disclosures area: samples."""

from __future__ import annotations
