import os
import tempfile

# Tests never touch the developer's ./var: each run gets its own data folder.
os.environ.setdefault("SALESCOPE_DATA_DIR", tempfile.mkdtemp(prefix="salescope-test-"))
os.environ.setdefault("HUEY_IMMEDIATE", "1")
