"""TEMPORARY (not committed): extra seeds of the reference comparison."""

from __future__ import annotations

import os

import pytest

from tests.oracle.generate import generate_bundle
from tests.oracle.harness import compare_bundle, default_queries, failure_text

pytestmark = pytest.mark.django_db
START = int(os.environ.get("SEED_START", "5000"))
COUNT = int(os.environ.get("SEED_COUNT", "100"))


@pytest.mark.parametrize("seed", range(START, START + COUNT))
def test_many(seed: int) -> None:
    bundle = generate_bundle(seed, size=1 + seed % 4)
    mismatches = compare_bundle(bundle, default_queries(bundle))
    assert not mismatches, failure_text(mismatches)
