"""A page's content stream, read as far as text goes: where each glyph of each text
operator is drawn, and the stream written again without chosen glyphs.

Only what places text is followed (the graphics state's matrix and text state, the text
operators); a removed glyph becomes an equal horizontal shift in a ``TJ`` array, so every
glyph that stays is drawn exactly where it was. What cannot be followed safely (vertical
writing, an embedded CMap, an unknown font) raises ``Unsupported``: the caller then
rasterises the page instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SHOW = {"Tj", "TJ", "'", '"'}


class Unsupported(Exception):
    """The page's text cannot be rewritten safely."""


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return m × n in PDF's row-vector convention (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


@dataclass
class Glyph:
    """One glyph drawn by a text operator: which instruction, which element of its
    string array and which bytes; its origin in page space, its size there, and the
    ``TJ`` shift that leaves the next glyph where it is when this one is removed."""

    op: int
    item: int
    start: int
    end: int
    x: float
    y: float
    size: float
    shift: float
    invisible: bool


class _Font:
    def __init__(self, font: Any):
        import pikepdf

        self.scale = 0.001
        self.two_byte = False
        self.cmap: Any = None
        self.widths: dict[int, float] = {}
        self.default = 0.0
        subtype = str(font.get("/Subtype", ""))
        if subtype == "/Type0":
            encoding = font.get("/Encoding")
            if not isinstance(encoding, pikepdf.Name):
                raise Unsupported("embedded CMap")
            name = str(encoding)[1:]
            if name.endswith("-V"):
                raise Unsupported("vertical writing")
            if name != "Identity-H":
                from pdfminer.cmapdb import CMapDB

                try:
                    self.cmap = CMapDB.get_cmap(name)
                except Exception as exc:
                    raise Unsupported(name) from exc
                if getattr(self.cmap, "is_vertical", lambda: False)():
                    raise Unsupported("vertical writing")
            self.two_byte = True
            descendant = font.DescendantFonts[0]
            self.default = float(descendant.get("/DW", 1000))
            w = list(descendant.get("/W", []))
            index = 0
            while index < len(w):
                first = int(w[index])
                following = w[index + 1]
                if isinstance(following, pikepdf.Array):
                    for offset, value in enumerate(following):
                        self.widths[first + offset] = float(value)
                    index += 2
                else:
                    last, value = int(following), float(w[index + 2])
                    if last - first > 70_000:
                        raise Unsupported("width range")
                    for cid in range(first, last + 1):
                        self.widths[cid] = value
                    index += 3
            return
        if subtype == "/Type3":
            matrix = [float(v) for v in font.get("/FontMatrix", [0.001, 0, 0, 0.001, 0, 0])]
            if matrix[1] or matrix[2]:
                raise Unsupported("skewed Type3 font")
            self.scale = matrix[0]
        first = int(font.get("/FirstChar", 0))
        widths = font.get("/Widths")
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None:
            self.default = float(descriptor.get("/MissingWidth", 0))
        if widths is not None:
            for offset, value in enumerate(widths):
                self.widths[first + offset] = float(value)
        elif subtype == "/Type3":
            raise Unsupported("Type3 font without widths")
        else:
            self._standard(str(font.get("/BaseFont", ""))[1:])

    def _standard(self, base: str) -> None:
        from reportlab.pdfbase import pdfmetrics

        try:
            face = pdfmetrics.getFont(base)
        except Exception as exc:
            raise Unsupported(f"font {base} without widths") from exc
        for code in range(32, 256):
            char = bytes([code]).decode("cp1252", "replace")
            self.widths[code] = pdfmetrics.stringWidth(char, face.fontName, 1000)

    def codes(self, data: bytes) -> list[tuple[int, int, int]]:
        """Return (start, end, code) for each character code in ``data``."""
        if not self.two_byte:
            return [(i, i + 1, byte) for i, byte in enumerate(data)]
        if self.cmap is None:
            if len(data) % 2:
                raise Unsupported("odd two-byte string")
            return [(i, i + 2, data[i] << 8 | data[i + 1]) for i in range(0, len(data), 2)]
        out, i, table = [], 0, self.cmap.code2cid
        start = 0
        node = table
        while i < len(data):
            value = node.get(data[i]) if isinstance(node, dict) else None
            i += 1
            if value is None:
                raise Unsupported("unmapped code")
            if isinstance(value, int):
                out.append((start, i, value))
                node, start = table, i
            else:
                node = value
        if node is not table:
            raise Unsupported("truncated code")
        return out

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default) * self.scale


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    font: Any = None
    size: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    mode: int = 0

    def copy(self) -> _State:
        return _State(**self.__dict__)


def glyphs(instructions: list[Any], fonts: Any) -> list[Glyph]:
    """Return every glyph the page's own content stream draws (not its form XObjects)."""
    import pikepdf

    cache: dict[str, _Font] = {}
    state, stack = _State(), []
    tm = tlm = IDENTITY
    out: list[Glyph] = []

    def font_of(name: str) -> _Font:
        if name not in cache:
            if fonts is None or name not in fonts:
                raise Unsupported(f"font {name} missing")
            cache[name] = _Font(fonts[name])
        return cache[name]

    for number, instruction in enumerate(instructions):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        operands = instruction.operands
        if operator == "q":
            stack.append(state.copy())
        elif operator == "Q":
            if stack:
                state = stack.pop()
        elif operator == "cm":
            state.ctm = multiply(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
        elif operator == "BT":
            tm = tlm = IDENTITY
        elif operator == "Tf":
            state.font = str(operands[0])
            state.size = float(operands[1])
        elif operator == "Tc":
            state.char_spacing = float(operands[0])
        elif operator == "Tw":
            state.word_spacing = float(operands[0])
        elif operator == "Tz":
            state.scale = float(operands[0]) / 100
        elif operator == "TL":
            state.leading = float(operands[0])
        elif operator == "Ts":
            state.rise = float(operands[0])
        elif operator == "Tr":
            state.mode = int(operands[0])
        elif operator in {"Td", "TD"}:
            tx, ty = float(operands[0]), float(operands[1])
            if operator == "TD":
                state.leading = -ty
            tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            tm = tlm
        elif operator == "Tm":
            tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif operator == "T*":
            tlm = multiply((1, 0, 0, 1, 0, -state.leading), tlm)
            tm = tlm
        elif operator in _SHOW:
            if operator == '"':
                state.word_spacing = float(operands[0])
                state.char_spacing = float(operands[1])
            if operator in {"'", '"'}:
                tlm = multiply((1, 0, 0, 1, 0, -state.leading), tlm)
                tm = tlm
            if state.font is None:
                raise Unsupported("text without a font")
            font = font_of(state.font)
            items = operands[0] if operator == "TJ" else [operands[-1]]
            for item_number, item in enumerate(items):
                if not isinstance(item, pikepdf.String):
                    tm = multiply(
                        (1, 0, 0, 1, -float(item) / 1000 * state.size * state.scale, 0), tm
                    )
                    continue
                for start, end, code in font.codes(bytes(item)):
                    advance = font.width(code) * state.size + state.char_spacing
                    if not font.two_byte and code == 32:
                        advance += state.word_spacing
                    rendering = multiply(
                        (state.size * state.scale, 0, 0, state.size, 0, state.rise),
                        multiply(tm, state.ctm),
                    )
                    if state.size == 0:
                        raise Unsupported("zero font size")
                    out.append(
                        Glyph(
                            op=number,
                            item=item_number,
                            start=start,
                            end=end,
                            x=rendering[4],
                            y=rendering[5],
                            size=math.sqrt(
                                abs(rendering[0] * rendering[3] - rendering[1] * rendering[2])
                            ),
                            shift=-advance / state.size * 1000,
                            invisible=state.mode in {3, 7},
                        )
                    )
                    tm = multiply((1, 0, 0, 1, advance * state.scale, 0), tm)
    return out


def without(instructions: list[Any], removed: list[Glyph]) -> list[Any]:
    """Return the instructions with the ``removed`` glyphs taken out of their strings."""
    import pikepdf

    by_op: dict[int, list[Glyph]] = {}
    for glyph in removed:
        by_op.setdefault(glyph.op, []).append(glyph)
    out: list[Any] = []
    for number, instruction in enumerate(instructions):
        gone = by_op.get(number)
        if not gone:
            out.append(instruction)
            continue
        operator = str(instruction.operator)
        operands = list(instruction.operands)
        if operator == '"':
            out.append(pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("Tw")))
            out.append(pikepdf.ContentStreamInstruction([operands[1]], pikepdf.Operator("Tc")))
        if operator in {"'", '"'}:
            out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
        items = list(operands[0]) if operator == "TJ" else [operands[-1]]
        array: list[Any] = []

        def push_number(value: float, array: list[Any] = array) -> None:
            if array and isinstance(array[-1], float):
                array[-1] += value
            else:
                array.append(value)

        for item_number, item in enumerate(items):
            if not isinstance(item, pikepdf.String):
                push_number(float(item))
                continue
            data = bytes(item)
            cuts = sorted(
                (glyph for glyph in gone if glyph.item == item_number), key=lambda g: g.start
            )
            position = 0
            for glyph in cuts:
                if glyph.start < position:
                    continue
                if glyph.start > position:
                    array.append(pikepdf.String(data[position : glyph.start]))
                push_number(glyph.shift)
                position = glyph.end
            if position < len(data):
                array.append(pikepdf.String(data[position:]))
        cleaned = [
            round(value, 4) if isinstance(value, float) else value
            for value in array
            if not (isinstance(value, float) and abs(value) < 1e-9)
        ]
        out.append(
            pikepdf.ContentStreamInstruction([pikepdf.Array(cleaned)], pikepdf.Operator("TJ"))
        )
    return out


def balance(instructions: list[Any]) -> int:
    """Return how many ``q`` are left open at the end of the stream."""
    import pikepdf

    depth = 0
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        operator = str(instruction.operator)
        if operator == "q":
            depth += 1
        elif operator == "Q" and depth:
            depth -= 1
    return depth
