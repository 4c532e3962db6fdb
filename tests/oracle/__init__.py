"""An independent reference implementation of metrics.md and the tests comparing it with the analytics engine.

- reference.py    the report JSON computed by plain loops straight from bundle records
- generate.py     reproducible random bundles full of edge cases (DST, missing/doubled midnights, 24 h bounds...)
- harness.py      import a bundle (rolled back afterwards) and diff build_report against the reference
- compare_cli.py  the same against `salescope report --format json` (by hand: python -m tests.oracle.compare_cli)
- shrink.py       shrink a disagreeing generated bundle to a minimal example (python -m tests.oracle.shrink SEED)
"""
