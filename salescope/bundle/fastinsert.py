"""Plain multi-row INSERTs for large imports, without building a model instance per row.

Values are model field values by attname (`contact_id`, not `contact`); fields left out get their model
default. Types that need the database's adaptation (times, decimals, JSON) go through the field's own
`get_db_prep_save`, so what is stored is exactly what the ORM would store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from .lookups import chunks

ADAPTED_TYPES = {"DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField", "DurationField", "UUIDField"}
BATCH = 1000
PARAMS_PER_STATEMENT = 30000  # below SQLite's 32766 and PostgreSQL's 65535 bound parameters


def _adapter(field: Field[Any, Any]) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in ADAPTED_TYPES:
        return lambda value: None if value is None else field.get_db_prep_save(value, connection)
    return None


def insert_rows(model: type[Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert rows in order (their ids follow the order of `rows`); return how many were inserted.

    PostgreSQL gets COPY; SQLite multi-row INSERT statements.
    """
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = [_adapter(f) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)

    def values(row: Mapping[str, Any]) -> list[Any]:
        result = []
        for field, adapt in zip(fields, adapters, strict=True):
            value = row[field.attname] if field.attname in row else field.get_default()
            result.append(adapt(value) if adapt else value)
        return result

    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
                    count += 1
            return count
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, min(BATCH, PARAMS_PER_STATEMENT // len(fields)))
        for batch in chunks(rows, per_statement):
            params = [value for row in batch for value in values(row)]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row_sql] * len(batch)), params)
            count += len(batch)
    return count
