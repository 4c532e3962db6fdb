from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from salescope.accounts.models import Team, User
from salescope.analytics import state as analytics_state
from salescope.core.errors import ServiceError
from salescope.core.refs import new_ref
from salescope.deals.models import Deal

from .models import Invoice, Payment, Plan, PlanMetric


def _check_amount(amount: Decimal) -> None:
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ServiceError("amount", f"{amount} is not a non-negative amount with 2 decimals")


@transaction.atomic
def invoice_issue(
    *, deal: Deal, amount: Decimal, issued_at: dt.datetime | None = None, ref: str | None = None
) -> Invoice:
    _check_amount(amount)
    invoice = Invoice.objects.create(
        ref=ref or new_ref("inv"), deal=deal, amount=amount, issued_at=issued_at or timezone.now()
    )
    analytics_state.invoice_issued(invoice)
    return invoice


@transaction.atomic
def payment_record(
    *, invoice: Invoice, amount: Decimal, paid_at: dt.datetime | None = None, ref: str | None = None
) -> Payment:
    _check_amount(amount)
    payment = Payment.objects.create(
        ref=ref or new_ref("pay"), invoice=invoice, amount=amount, paid_at=paid_at or timezone.now()
    )
    analytics_state.payment_recorded(payment)
    return payment


def plan_set(
    *, month: dt.date, metric: str, target: Decimal, user: User | None = None, team: Team | None = None
) -> Plan:
    """Set (or replace) the monthly target of one user or one team."""
    if (user is None) == (team is None):
        raise ServiceError("user", "a plan belongs to exactly one user or one team")
    if metric not in PlanMetric.values:
        raise ServiceError("metric", f"unknown plan metric {metric!r}")
    _check_amount(target)
    plan, _ = Plan.objects.update_or_create(
        month=month.replace(day=1), metric=metric, user=user, team=team, defaults={"target": target}
    )
    return plan
