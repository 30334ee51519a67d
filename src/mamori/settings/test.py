"""Settings for the test suite: base settings with a cheap Argon2 and a scratch data dir."""

import os
import tempfile

# Always a fresh directory per test process: the Makefile exports MAMORI_DATA_DIR=./var for
# `make run`, and parallel workers sharing one data directory (uploads, the watch log store)
# would see each other's files.
os.environ["MAMORI_DATA_DIR"] = tempfile.mkdtemp(prefix="mamori-test-")

from django.contrib.auth.hashers import Argon2PasswordHasher

from mamori.settings.base import *  # noqa: F403


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, with the cost lowered so that tests creating users stay fast."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


PASSWORD_HASHERS = ["mamori.settings.test.FastArgon2PasswordHasher"]

# Most tests sign in as the officer with force_login and do not care about second factors;
# tests/accounts/test_mfa.py sets "officer" and "all" where it checks them.
MAMORI_MFA_REQUIRED = "none"

# Tasks run at once when queued: no test depends on a worker running.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Each test rolls its database back, so a checkpoint written by one test would report the
# next test's log as truncated; the checkpoint tests write theirs explicitly.
MAMORI_AUDIT_CHECKPOINT_SECONDS = 0
MAMORI_AUDIT_JOURNAL = False
