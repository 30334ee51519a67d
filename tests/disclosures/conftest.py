"""The API clients of ``tests/api``, for the ledger's API tests here."""

from tests.api.conftest import api, token_for  # noqa: F401 (fixtures)
