"""Settings for the test suite: the real settings, a throw-away data folder, inline tasks."""

import os
import tempfile

os.environ.setdefault("SALESCOPE_DATA_DIR", tempfile.mkdtemp(prefix="salescope-test-"))
os.environ.setdefault("HUEY_IMMEDIATE", "1")

from .settings import *  # noqa: E402,F403

# Hashing passwords slowly is a production virtue and a test-suite cost.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
