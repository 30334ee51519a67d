"""Writes of the disclosures area: ledger."""

from __future__ import annotations
