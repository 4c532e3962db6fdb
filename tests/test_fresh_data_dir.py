"""Commands work on a new data folder: `import` and `report` migrate it first."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from salescope.bundle.tests.sample import write_sample

SALESCOPE = str(Path(sys.executable).with_name("salescope"))


@pytest.mark.skipif(not Path(SALESCOPE).exists(), reason="the console script is not installed")
def test_import_then_report_on_a_new_data_folder(tmp_path):
    bundle = write_sample(tmp_path / "bundle")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SALESCOPE_DATA_DIR"] = str(tmp_path / "data")
    imported = subprocess.run([SALESCOPE, "import", str(bundle)], env=env, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    report = subprocess.run(
        [SALESCOPE, "report", "--from", "2026-03-01", "--to", "2026-03-31", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert report.returncode == 0, report.stderr
    users = json.loads(report.stdout)["users"]
    bundle_users = [json.loads(line)["id"] for line in (bundle / "users.jsonl").read_text().splitlines()]
    assert sorted(users) == sorted(bundle_users)
