"""Check that the PostgreSQL for the test run answers.

Exit 0 when it does, 75 when it does not (the run is skipped), and 1 when it
does not and CI=true (an unreachable database must fail CI, not hide it).
"""

import os
import sys

import psycopg

url = os.environ.get("PG_TEST_URL", "postgres://postgres@127.0.0.1:5432/salescope")
admin_url = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(admin_url, connect_timeout=5) as conn:
        conn.execute("SELECT 1")
except psycopg.OperationalError as exc:
    print(f"PostgreSQL at {admin_url} is not reachable: {exc}", file=sys.stderr)
    sys.exit(1 if os.environ.get("CI", "").lower() == "true" else 75)
sys.exit(0)
