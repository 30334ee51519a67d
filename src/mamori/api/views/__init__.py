"""The REST API's endpoints, one module per register family.

Every endpoint derives from ``ProtectedAPIView`` and declares its ``capability``;
``tests/core/test_url_protection.py`` checks it for every URL.
"""

from mamori.api.base import ProtectedAPIView

__all__ = ["ProtectedAPIView"]
