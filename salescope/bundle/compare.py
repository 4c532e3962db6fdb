"""Bundles as order-free sets of normalised records, to check a round trip (times as instants, money as
amounts, phones in E.164, omitted = null = default)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import BundleInvalid
from .fields import as_instant_key
from .parse import parse_bundle
from .reader import read_bundle
from .schema import file_name


def _freeze(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return as_instant_key(value).isoformat()
    if isinstance(value, dict):
        return json.dumps({k: _freeze(v) for k, v in value.items()}, sort_keys=True, default=str)
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def bundle_records(path: str | Path) -> dict[str, Counter[Any]]:
    """file name → multiset of normalised records; raises BundleInvalid if a record breaks a field rule."""
    parsed = parse_bundle(read_bundle(path))
    if parsed.errors:
        raise BundleInvalid(parsed.errors)
    result: dict[str, Counter[Any]] = {}
    for kind, records in parsed.records.items():
        frozen = (tuple(sorted((k, _freeze(v)) for k, v in record.items())) for _, record in records)
        result[file_name(kind)] = Counter(frozen)
    return result


def bundle_differences(left: str | Path, right: str | Path) -> dict[str, tuple[int, int]]:
    """Files whose record sets differ: file → (records only in left, records only in right)."""
    a, b = bundle_records(left), bundle_records(right)
    return {
        name: (sum((a[name] - b[name]).values()), sum((b[name] - a[name]).values())) for name in a if a[name] != b[name]
    }
