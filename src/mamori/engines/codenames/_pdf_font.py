"""The font codenames are drawn in when a PDF is sanitized: IPAexGothic (shipped by
``matplotlib-fontja``, the PDF report's font too), embedded as a subset holding only the
glyphs of the codenames written, with a ToUnicode map so that the codenames can be
selected, searched and extracted like the text around them."""

from __future__ import annotations

import functools
import io
from importlib import resources
from typing import Any

from mamori.engines.codenames._errors import DocumentError

FONT_FILE = "ipaexg.ttf"
FONT_NAME = "IPAexGothic"


@functools.cache
def _font_bytes() -> bytes:
    try:
        path = resources.files("matplotlib_fontja") / "fonts" / FONT_FILE
        return path.read_bytes()
    except (ModuleNotFoundError, OSError) as exc:
        raise DocumentError(
            "font", "The Japanese font for codenames is missing: reinstall matplotlib-fontja."
        ) from exc


@functools.cache
def _metrics() -> tuple[dict[int, str], dict[str, int], int]:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(_font_bytes()), lazy=True)
    cmap = dict(font.getBestCmap())
    advances = {name: width for name, (width, _lsb) in font["hmtx"].metrics.items()}
    return cmap, advances, font["head"].unitsPerEm


def text_width(text: str) -> float:
    """Return the advance of ``text`` at size 1 (in text space units)."""
    cmap, advances, units = _metrics()
    return sum(advances.get(cmap.get(ord(char), ".notdef"), units) for char in text) / units


class CodenameFont:
    """The subset of IPAexGothic for the codenames of one document, as PDF objects."""

    def __init__(self, pdf: Any, texts: set[str]):
        import pikepdf
        from fontTools import subset
        from fontTools.ttLib import TTFont

        cmap, _advances, _units = _metrics()
        chars = sorted({char for text in texts for char in text if ord(char) in cmap})
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.layout_features = []
        font = TTFont(io.BytesIO(_font_bytes()))
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(char) for char in chars])
        subsetter.subset(font)
        best = font.getBestCmap()
        units = font["head"].unitsPerEm
        self.glyphs = {char: font.getGlyphID(best[ord(char)]) for char in chars}
        widths = {
            gid: round(font["hmtx"][font.getGlyphName(gid)][0] * 1000 / units)
            for gid in self.glyphs.values()
        }
        data = io.BytesIO()
        font.save(data)
        head, os2 = font["head"], font["OS/2"]
        scale = 1000 / units
        tag = "MAMORI+" + FONT_NAME
        descriptor = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.FontDescriptor,
                FontName=pikepdf.Name("/" + tag),
                Flags=4,
                FontBBox=[
                    round(head.xMin * scale),
                    round(head.yMin * scale),
                    round(head.xMax * scale),
                    round(head.yMax * scale),
                ],
                ItalicAngle=0,
                Ascent=round(os2.sTypoAscender * scale),
                Descent=round(os2.sTypoDescender * scale),
                CapHeight=round(getattr(os2, "sCapHeight", 700) * scale),
                StemV=80,
                FontFile2=pdf.make_stream(data.getvalue()),
            )
        )
        w_array: list[Any] = []
        for gid in sorted(widths):
            w_array.extend([gid, [widths[gid]]])
        descendant = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name("/" + tag),
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String("Adobe"),
                Ordering=pikepdf.String("Identity"),
                Supplement=0,
            ),
            FontDescriptor=descriptor,
            W=w_array,
            DW=1000,
            CIDToGIDMap=pikepdf.Name.Identity,
        )
        self.font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type0,
                BaseFont=pikepdf.Name("/" + tag),
                Encoding=pikepdf.Name("/Identity-H"),
                DescendantFonts=[pdf.make_indirect(descendant)],
                ToUnicode=pdf.make_stream(self._to_unicode()),
            )
        )

    def _to_unicode(self) -> bytes:
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        pairs = sorted((gid, char) for char, gid in self.glyphs.items())
        for start in range(0, len(pairs), 100):
            chunk = pairs[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            for gid, char in chunk:
                lines.append(f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>")
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")

    def encode(self, text: str) -> bytes:
        """Return ``text`` as the font's two-byte codes (characters it lacks are left out)."""
        return b"".join(
            self.glyphs[char].to_bytes(2, "big") for char in text if char in self.glyphs
        )
