from __future__ import annotations

import datetime as dt
from decimal import Decimal

from salescope.core.errors import ServiceError

from .models import AdSpend


def ad_spend_record(*, date: dt.date, source: str, amount: Decimal, campaign: str = "") -> AdSpend:
    """Set the spend of one source (and campaign) on one local date."""
    if not source:
        raise ServiceError("source", "ad spend needs a source")
    if amount < 0:
        raise ServiceError("amount", "must be ≥ 0")
    row, _ = AdSpend.objects.update_or_create(date=date, source=source, campaign=campaign, defaults={"amount": amount})
    return row
