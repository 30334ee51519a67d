"""Read the text in pictures with Debian's tesseract (Japanese and English).

The codename engine's residual check and PDF sanitize use it; the contract checker's
engine gets ``read`` from its caller (engines import only themselves).

``available()`` says whether ``tesseract`` with its Japanese data is installed; callers
that find it missing say so to the user rather than pass a picture unread. ``read``
returns the lines tesseract finds with their boxes and confidence; Japanese words, which
tesseract separates by spaces, are joined back.

Nothing here imports Django.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

LANGUAGES = "jpn+eng"
TIMEOUT = 120  # seconds per picture


class OcrUnavailable(RuntimeError):
    """tesseract, or its Japanese data, is not installed."""


@dataclass(frozen=True)
class OcrLine:
    """One line read: its text, its box in the picture's pixels (left, top, right,
    bottom) and tesseract's mean confidence (0–100) over its words."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float


@dataclass(frozen=True)
class OcrResult:
    lines: tuple[OcrLine, ...]
    size: tuple[int, int]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def confidence(self) -> float:
        """Mean confidence over the characters read (0–100; 0 when nothing was read)."""
        weights = [(len(line.text), line.confidence) for line in self.lines if line.text]
        total = sum(weight for weight, _ in weights)
        return sum(w * c for w, c in weights) / total if total else 0.0


@functools.cache
def available() -> bool:
    """Return whether tesseract and its Japanese data are installed."""
    binary = shutil.which("tesseract")
    if binary is None:
        return False
    try:
        listed = subprocess.run(  # noqa: S603
            [binary, "--list-langs"], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    languages = set(listed.stdout.decode("utf-8", "replace").split())
    return {"jpn", "eng"} <= languages


def _wide(char: str) -> bool:
    return ord(char) >= 0x2E80


def _join(words: list[str]) -> str:
    text = ""
    for word in words:
        if text and not (_wide(text[-1]) and _wide(word[0])):
            text += " "
        text += word
    return text


def read(image: Any) -> OcrResult:
    """Return the lines tesseract reads in ``image`` (a PIL image). Raise
    ``OcrUnavailable`` when tesseract or its Japanese data is missing."""
    if not available():
        raise OcrUnavailable("tesseract with Japanese (tesseract-ocr-jpn) is not installed")
    picture = image.convert("L") if image.mode not in {"L", "RGB"} else image
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    run = subprocess.run(  # noqa: S603
        [
            shutil.which("tesseract") or "tesseract",
            "stdin",
            "stdout",
            "-l",
            LANGUAGES,
            "--psm",
            "3",
            "-c",
            "preserve_interword_spaces=1",
            "tsv",
        ],
        input=buffer.getvalue(),
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
        # One thread per picture: tesseract's OpenMP threads slow it down several times
        # on a busy machine.
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )
    if run.returncode != 0:
        return OcrResult((), image.size)
    lines: dict[tuple[int, int, int, int], list[tuple[str, float, int, int, int, int]]] = {}
    for row in run.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        confidence = float(cells[10])
        if not text or confidence < 0:
            continue
        left, top, width, height = (int(value) for value in cells[6:10])
        key = (int(cells[1]), int(cells[2]), int(cells[3]), int(cells[4]))
        lines.setdefault(key, []).append((text, confidence, left, top, width, height))
    out = []
    for words in lines.values():
        text = _join([word[0] for word in words])
        left = min(word[2] for word in words)
        top = min(word[3] for word in words)
        right = max(word[2] + word[4] for word in words)
        bottom = max(word[3] + word[5] for word in words)
        confidence = sum(word[1] for word in words) / len(words)
        out.append(OcrLine(text, (left, top, right, bottom), confidence))
    return OcrResult(tuple(out), image.size)
