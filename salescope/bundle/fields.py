"""Field parsers: each turns a raw JSON value into a clean Python value or reports what is wrong.

A parser gets the raw value, a `Where` to report problems at (file, line) and the field's name;
it returns the clean value, or None after reporting an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from salescope.core.phones import InvalidPhone, normalize_phone
from salescope.core.timeutil import parse_date, parse_instant, parse_money, parse_month

from .errors import BundleError


@dataclass
class Where:
    """Where problems are reported: one line of one file."""

    file: str
    line: int
    errors: list[BundleError]
    warnings: list[BundleError]

    def error(self, field: str, message: str) -> None:
        self.errors.append(BundleError(self.file, self.line, field, message))

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(BundleError(self.file, self.line, field, message))


Parser = Callable[[Any, Where, str], Any]


def _simple(convert: Callable[[Any], Any]) -> Parser:
    def parse(value: Any, where: Where, name: str) -> Any:
        try:
            return convert(value)
        except ValueError as exc:
            where.error(name, str(exc))
            return None

    return parse


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {type(value).__name__}")
    return value


def _nonempty_text(value: Any) -> str:
    if not _text(value).strip():
        raise ValueError("must not be empty")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _nonneg_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT_LIMIT:
        raise ValueError(f"must be an integer ≥ 0, not {value!r}")
    return value


def _any_value(value: Any) -> Any:
    return value


text = _simple(_text)
ref = _simple(_nonempty_text)
instant = _simple(parse_instant)
MONEY_LIMIT = Decimal(10) ** 12  # the database keeps 14 digits, 2 of them after the point
INT_LIMIT = 2**31 - 1


def _money(value: Any) -> Decimal:
    amount = parse_money(value)
    if amount >= MONEY_LIMIT:
        raise ValueError(f"too large an amount: {value!r}")
    return amount


money = _simple(_money)
boolean = _simple(_boolean)
nonneg_int = _simple(_nonneg_int)
month = _simple(parse_month)
date = _simple(parse_date)
raw = _simple(_any_value)


def choice(*values: str) -> Parser:
    def convert(value: Any) -> str:
        if value not in values:
            raise ValueError(f"must be one of {', '.join(values)}, not {value!r}")
        return str(value)

    return _simple(convert)


def _list_of_strings(value: Any, where: Where, name: str) -> list[str] | None:
    if not isinstance(value, list):
        where.error(name, "must be a list")
        return None
    good = True
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            where.error(f"{name}[{index}]", "must be a non-empty string")
            good = False
    return value if good else None


def phones(value: Any, where: Where, name: str) -> list[str] | None:
    """Phones normalised to E.164; an unparseable phone is an error, a repeated one a warning."""
    items = _list_of_strings(value, where, name)
    if items is None:
        return None
    numbers: list[str] = []
    good = True
    for index, item in enumerate(items):
        try:
            number = normalize_phone(item)
        except InvalidPhone as exc:
            where.error(f"{name}[{index}]", str(exc))
            good = False
            continue
        if number in numbers:
            where.warn(f"{name}[{index}]", f"repeats {number}, kept once")
        else:
            numbers.append(number)
    return numbers if good else None


def emails(value: Any, where: Where, name: str) -> list[str] | None:
    items = _list_of_strings(value, where, name)
    if items is None:
        return None
    addresses: list[str] = []
    for index, item in enumerate(items):
        address = item.strip()
        if "@" not in address or len(address) > 254:
            where.error(f"{name}[{index}]", f"not an e-mail address: {item!r}")
        elif address in addresses:
            where.warn(f"{name}[{index}]", f"repeats {address}, kept once")
        else:
            addresses.append(address)
    return addresses


def utm(value: Any, where: Where, name: str) -> dict[str, str] | None:
    if not isinstance(value, dict):
        where.error(name, "must be an object of utm_* strings")
        return None
    good = True
    for key, item in value.items():
        if not key.startswith("utm_") or not isinstance(item, str):
            where.error(f"{name}.{key}", "must be a utm_* key with a string value")
            good = False
    return dict(value) if good else None


@dataclass(frozen=True)
class Item:
    product: str
    quantity: int
    price: Decimal


def items(value: Any, where: Where, name: str) -> tuple[Item, ...] | None:
    """Deal items: product id, positive integer quantity, price."""
    if not isinstance(value, list):
        where.error(name, "must be a list")
        return None
    result: list[Item] = []
    good = True
    for index, item in enumerate(value):
        at = f"{name}[{index}]"
        if not isinstance(item, dict):
            where.error(at, "must be an object with product, quantity, price")
            good = False
            continue
        for key in item.keys() - {"product", "quantity", "price"}:
            where.warn(f"{at}.{key}", "unknown field, ignored")
        product = item.get("product")
        quantity = item.get("quantity")
        price = None if item.get("price") is None else money(item["price"], where, f"{at}.price")
        if not isinstance(product, str) or not product:
            where.error(f"{at}.product", "required: a product id")
            good = False
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= INT_LIMIT:
            where.error(f"{at}.quantity", f"must be a positive integer, not {quantity!r}")
            good = False
        if item.get("price") is None:
            where.error(f"{at}.price", "required")
            good = False
        elif price is None:
            good = False
        if good and isinstance(quantity, int) and isinstance(price, Decimal):
            result.append(Item(product=str(product), quantity=quantity, price=price))
    return tuple(result) if good else None


@dataclass(frozen=True)
class StageSpec:
    id: str
    name: str
    kind: str


def stages(value: Any, where: Where, name: str) -> tuple[StageSpec, ...] | None:
    """Ordered stages: open first, at least one won and one lost."""
    if not isinstance(value, list) or not value:
        where.error(name, "must be a non-empty list of {id, name, kind}")
        return None
    result: list[StageSpec] = []
    closed_seen = False
    for index, stage in enumerate(value):
        at = f"{name}[{index}]"
        if not isinstance(stage, dict):
            where.error(at, "must be an object with id, name, kind")
            continue
        for key in stage.keys() - {"id", "name", "kind"}:
            where.warn(f"{at}.{key}", "unknown field, ignored")
        good = True
        parts = {}
        for key in ("id", "name"):
            if stage.get(key) is None:
                where.error(f"{at}.{key}", "required")
                good = False
            else:
                parts[key] = ref(stage[key], where, f"{at}.{key}")
                if parts[key] is not None and len(parts[key]) > 200:
                    where.error(f"{at}.{key}", "longer than 200 characters")
                    parts[key] = None
                good = good and parts[key] is not None
        kind = stage.get("kind")
        if kind not in ("open", "won", "lost"):
            where.error(f"{at}.kind", f"must be one of open, won, lost, not {kind!r}")
        elif kind == "open" and closed_seen:
            where.error(f"{at}.kind", "open stages must come before won and lost stages")
        closed_seen = closed_seen or kind in ("won", "lost")
        if good:
            result.append(StageSpec(id=parts["id"], name=parts["name"], kind=str(kind)))
    kinds = {s.get("kind") for s in value if isinstance(s, dict)}
    for needed in ("won", "lost"):
        if needed not in kinds:
            where.error(name, f"needs at least one {needed} stage")
    # Well-formed stages are kept even when the list breaks a rule (the error is reported), so that
    # references to them are not reported as unknown as well.
    return tuple(result)


def as_instant_key(value: dt.datetime) -> dt.datetime:
    """Times in natural keys compare as instants."""
    return value.astimezone(dt.UTC)
