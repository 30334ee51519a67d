"""The contract checker's errors: one base, subclasses by what went wrong.

Each error has a ``code`` that the Django side and the command line turn into a message in
the user's language; ``str()`` gives an English message naming the file.
"""

from __future__ import annotations


class ClauseCheckError(ValueError):
    """Base of every contract-checker error."""

    code = "error"

    def __init__(self, message: str, *, name: str = ""):
        super().__init__(message)
        self.message = message
        self.name = name


class RequirementsError(ClauseCheckError):
    """The clause requirements are invalid, or a contract type is unknown."""

    code = "requirements"


class DocumentError(ClauseCheckError):
    """A document cannot be read."""

    code = "unreadable"


class NoTextLayer(DocumentError):
    """A PDF without text (a scan): there is nothing to read."""

    code = "no_text"


class EncryptedDocument(DocumentError):
    """A password-protected PDF or Word file."""

    code = "encrypted"


class CorruptDocument(DocumentError):
    """A damaged or truncated file, or one that is not what its name says."""

    code = "corrupt"


class UnsupportedFormat(DocumentError):
    """A format the checker does not read (old .doc, images, spreadsheets...)."""

    code = "unsupported"


class DocumentTooLarge(DocumentError):
    """A document too large to check (pages, or the size once unpacked)."""

    code = "too_large"
