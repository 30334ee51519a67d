"""Real public PDFs for the tests (MANIFEST.yaml) and a helper built on them."""

from __future__ import annotations

import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANUAL = HERE / "en-olimex-esp32-devkit-lipo-manual.pdf"


def manual_with_text_in_a_form(page_index: int = 1) -> bytes:
    """The English manual with one page's content moved into a form XObject: text the
    sanitizer does not follow, so that page is rasterised."""
    import pikepdf

    pdf = pikepdf.open(MANUAL)
    page = pdf.pages[page_index]
    form = pdf.make_stream(
        pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=page.mediabox,
        Resources=page.resources,
    )
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fx0=form))
    page.obj.Contents = pdf.make_stream(b"/Fx0 Do")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def scanned(image, rng, *, skew: float = 0.3):
    """Return a grey page image as a scanner gives it: noisy, specked, slightly skewed
    and soft (``rng``: a seeded ``numpy.random.Generator``, so runs are the same)."""
    import numpy as np
    from PIL import Image, ImageFilter

    pixels = np.asarray(image.convert("L"), dtype=np.float32)
    pixels = pixels + rng.normal(0, 18, pixels.shape)
    specks = rng.random(pixels.shape)
    pixels[specks < 0.002] = 0
    pixels[specks > 0.998] = 255
    noisy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    noisy = noisy.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return noisy.filter(ImageFilter.GaussianBlur(0.6))
