"""mamori (守り): technology-leakage prevention for Japanese startups."""

__version__ = "0.1.0"
