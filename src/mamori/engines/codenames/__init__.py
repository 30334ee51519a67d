"""The codename engine: replace sensitive proper nouns in outbound documents.

A ``Dictionary`` of ``Term``s (category, codename, variants) compiles into an
Aho-Corasick matcher that finds every term leftmost-longest in a text, insensitive to
full/half width, Latin case and hyphen, dash and space variants, and replaces only the
term. ``sanitize`` does it for text, Markdown and CSV files (encoding detected, bytes
outside the terms and line endings kept) and for Word, Excel and PowerPoint packages
(every XML part: body, headers, footers, notes, comments, tracked changes, text boxes,
charts, sheet names, shared strings, speaker notes, properties, link targets) and for
PDF (``_pdf_sanitize``: the terms' glyphs taken out of the page content, the codenames
drawn in their place, the document's structure rewritten; ``Note`` says what else was
done);
``restore`` turns codenames back into the terms; ``scan`` reports what is left — terms,
confidentiality markings (``markings.yaml``), sensitivity labels, authors, comments,
tracked changes, hidden and embedded content — and reads PDF with two text extractors.

Nothing here imports Django.
"""

from mamori.engines.codenames._dictionary import (
    CODENAME_PREFIXES,
    Category,
    Dictionary,
    Term,
    codename_sequence,
    next_codename,
    text_problem,
)
from mamori.engines.codenames._document import (
    FORMATS,
    decode_text,
    detect_format,
    restore,
    sanitize,
    scan,
)
from mamori.engines.codenames._errors import (
    CodenameError,
    DictionaryError,
    DictionaryProblem,
    DocumentError,
)
from mamori.engines.codenames._markings import Markings, load_markings
from mamori.engines.codenames._normalize import normalize, spelling_key
from mamori.engines.codenames._ooxml import Limits
from mamori.engines.codenames._pdf_sanitize import Note
from mamori.engines.codenames._results import (
    FINDING_KINDS,
    REVIEW,
    SECRET,
    Finding,
    Location,
    Replacement,
    SanitizeResult,
    ScanReport,
    part_label,
)

__all__ = [
    "CODENAME_PREFIXES",
    "FINDING_KINDS",
    "FORMATS",
    "REVIEW",
    "SECRET",
    "Category",
    "CodenameError",
    "Dictionary",
    "DictionaryError",
    "DictionaryProblem",
    "DocumentError",
    "Finding",
    "Limits",
    "Location",
    "Markings",
    "Note",
    "Replacement",
    "SanitizeResult",
    "ScanReport",
    "Term",
    "codename_sequence",
    "decode_text",
    "detect_format",
    "load_markings",
    "next_codename",
    "normalize",
    "part_label",
    "restore",
    "sanitize",
    "scan",
    "spelling_key",
    "text_problem",
]
