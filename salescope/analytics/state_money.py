"""Cents invoiced and paid per deal owner and local day (models.MoneyDay): the fast path of `invoiced` and
`paid`. An invoice counts for the owner of its deal on the local day of issued_at, a payment for the owner of its
invoice's deal on the local day of paid_at (metrics.md). New invoices and payments add with one upsert; edits
in the back office recompute the (owner, day) pairs they touched, before and after."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum

from salescope.billing.models import Invoice, Payment
from salescope.deals.models import Deal

from .models import MoneyDay
from .state_deals import cents

NO_OWNER = 0
Key = tuple[int, dt.date]  # (owner id or NO_OWNER, local day)

_UPSERT = (
    "INSERT INTO analytics_moneyday (owner_id, day, invoiced_cents, paid_cents) VALUES (%s, %s, %s, %s) "
    "ON CONFLICT (owner_id, day) DO UPDATE SET invoiced_cents = analytics_moneyday.invoiced_cents + "
    "excluded.invoiced_cents, paid_cents = analytics_moneyday.paid_cents + excluded.paid_cents"
)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _key(owner_id: int | None, at: dt.datetime) -> Key:
    return (NO_OWNER if owner_id is None else owner_id, at.astimezone(_zone()).date())


def money_add(owner_id: int | None, at: dt.datetime, *, invoiced: int = 0, paid: int = 0) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [*_key(owner_id, at), invoiced, paid])


def invoice_issued(invoice: Invoice) -> None:
    owner = Deal.objects.filter(pk=invoice.deal_id).values_list("owner_id", flat=True).get()
    money_add(owner, invoice.issued_at, invoiced=cents(invoice.amount))


def payment_recorded(payment: Payment) -> None:
    owner = Deal.objects.filter(invoices=payment.invoice_id).values_list("owner_id", flat=True).get()
    money_add(owner, payment.paid_at, paid=cents(payment.amount))


def money_keys(
    *, deal_ids: Iterable[int] = (), invoice_ids: Iterable[int] = (), payment_ids: Iterable[int] = ()
) -> set[Key]:
    """The (owner, day) pairs the stored invoices and payments of these deals, invoices or payments count in."""
    deals, invoices, payments = list(deal_ids), list(invoice_ids), list(payment_ids)
    keys: set[Key] = set()
    for owner, at in Invoice.objects.filter(Q(deal_id__in=deals) | Q(pk__in=invoices)).values_list(
        "deal__owner_id", "issued_at"
    ):
        keys.add(_key(owner, at))
    for owner, at in Payment.objects.filter(
        Q(invoice__deal_id__in=deals) | Q(invoice_id__in=invoices) | Q(pk__in=payments)
    ).values_list("invoice__deal__owner_id", "paid_at"):
        keys.add(_key(owner, at))
    return keys


def money_refresh(keys: Iterable[Key]) -> None:
    """Recompute these (owner, day) rows from the invoices and payments."""
    zone = _zone()
    for owner, day in set(keys):
        start = dt.datetime.combine(day, dt.time(), zone)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
        owned = Q(deal__owner__isnull=True) if owner == NO_OWNER else Q(deal__owner_id=owner)
        invoiced = _cents_sum(Invoice.objects.filter(owned, issued_at__gte=start, issued_at__lt=end))
        paid_owned = Q(invoice__deal__owner__isnull=True) if owner == NO_OWNER else Q(invoice__deal__owner_id=owner)
        paid = _cents_sum(Payment.objects.filter(paid_owned, paid_at__gte=start, paid_at__lt=end))
        rows = MoneyDay.objects.filter(owner_id=owner, day=day)
        if invoiced is None and paid is None:
            rows.delete()
        elif not rows.update(invoiced_cents=invoiced or 0, paid_cents=paid or 0):
            MoneyDay.objects.create(owner_id=owner, day=day, invoiced_cents=invoiced or 0, paid_cents=paid or 0)


def _cents_sum(rows: Any) -> int | None:
    """The sum in cents, or None when there are no rows (the SUM of amounts with two decimals is exact)."""
    found = rows.aggregate(n=Count("id"), total=Sum("amount"))
    return cents(found["total"]) if found["n"] else None


def rebuild_money_days() -> None:
    MoneyDay.objects.all().delete()
    days: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    issued = Invoice.objects.order_by().values_list("deal__owner_id", "issued_at", "amount")
    for owner, at, amount in issued.iterator(chunk_size=20_000):
        days[_key(owner, at)][0] += cents(amount)
    paid = Payment.objects.order_by().values_list("invoice__deal__owner_id", "paid_at", "amount")
    for owner, at, amount in paid.iterator(chunk_size=20_000):
        days[_key(owner, at)][1] += cents(amount)
    MoneyDay.objects.bulk_create(
        (MoneyDay(owner_id=o, day=d, invoiced_cents=i, paid_cents=p) for (o, d), (i, p) in days.items()),
        batch_size=5000,
    )
