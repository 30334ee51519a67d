"""Terms and markings in pictures: pictures in Office files and PDF pages (scans
included) are read with OCR (``mamori.engines.codenames.ocr``) and what is found is reported with
where it is in the picture. Without tesseract, each picture is reported as not read."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from mamori.engines.codenames import ocr
from mamori.engines.codenames._findings import text_findings
from mamori.engines.codenames._results import Finding, Location

MIN_SIDE = 48  # pixels: smaller pictures (icons, bullets, rules) hold no readable text
MAX_PICTURES = 60  # per document; beyond, pictures are reported as not read
_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def is_picture(name: str) -> bool:
    return name.lower().endswith(_EXTENSIONS)


class PictureReader:
    """Reads the pictures of one document, up to ``MAX_PICTURES``."""

    def __init__(self, dictionary: Any, markings: Any):
        self.dictionary = dictionary
        self.markings = markings
        self.read_count = 0

    def findings(
        self,
        image: Any,
        place: Location,
        position: Callable[[tuple[int, int, int, int]], str] | None = None,
    ) -> list[Finding]:
        """Return the terms and markings read in ``image`` at ``place``; ``position``
        turns a box in the picture's pixels into words for the finding's detail."""
        width, height = image.size
        if width < MIN_SIDE or height < MIN_SIDE:
            return []
        if not ocr.available():
            return [Finding("ocr_missing", place, "tesseract")]
        if self.read_count >= MAX_PICTURES:
            return [Finding("ocr_skipped", place, str(MAX_PICTURES))]
        self.read_count += 1
        result = ocr.read(image)
        found: list[Finding] = []
        for line in result.lines:
            left, top, right, bottom = line.box
            for item in text_findings(line.text, self.dictionary, self.markings):
                start = int(item.location.ref) / max(1, len(line.text))
                box = (round(left + start * (right - left)), top, right, bottom)
                where = position(box) if position else ""
                detail = f"OCR {line.confidence:.0f}%" + (f" · {where}" if where else "")
                if item.kind == "marking":
                    detail = f"{item.detail} · {detail}"
                found.append(Finding(item.kind, place, item.text, detail, item.term))
        return found

    def file_findings(self, data: bytes, place: Location) -> list[Finding]:
        """Return what is read in a picture file (PNG, JPEG…); nothing for a file Pillow
        cannot open."""
        from PIL import Image, UnidentifiedImageError

        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            return []
        if image.mode not in {"L", "RGB"}:
            image = image.convert("RGB")
        width, height = image.size

        def position(box: tuple[int, int, int, int]) -> str:
            return f"x {box[0] * 100 // width}%, y {box[1] * 100 // height}%"

        return self.findings(image, place, position)
