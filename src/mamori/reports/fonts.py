"""The Japanese font of the PDF report: IPAexGothic, shipped by ``matplotlib-fontja``.

The font is registered with reportlab as a TrueType font, so every PDF embeds the subset
of glyphs it uses and renders the same on any machine, with or without Japanese fonts
installed. IPAexGothic covers Latin text too, so the English report uses it as well and
the PDF needs no other font.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from mamori.core.errors import ApplicationError

__all__ = ["FONT_NAME", "font_path", "register_font"]

FONT_NAME = "IPAexGothic"
_PACKAGE = "matplotlib_fontja"
_FILE = "ipaexg.ttf"


def font_path() -> Path:
    """Return the path of IPAexGothic inside the installed ``matplotlib-fontja`` package.

    Raise ``ApplicationError`` when the package or the file is missing (a broken install).
    """
    try:
        candidate = resources.files(_PACKAGE) / "fonts" / _FILE
    except ModuleNotFoundError:
        candidate = None
    if candidate is None or not candidate.is_file():
        raise ApplicationError(
            _("The Japanese font for PDF reports is missing: reinstall matplotlib-fontja.")
        )
    return Path(str(candidate))


@functools.cache
def register_font() -> str:
    """Register IPAexGothic with reportlab (once per process) and return its name."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
    return FONT_NAME
