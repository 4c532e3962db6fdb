"""Keeping the analytics state right when records are edited outside the write services (the back office).

The admin calls `before_edit` before it saves or deletes a record and `after_save` / `after_delete` after.
"""

from __future__ import annotations

from typing import Any

from salescope.activities.models import Activity
from salescope.billing.models import Invoice, Payment
from salescope.contacts.models import Contact
from salescope.deals.models import Deal
from salescope.followups.models import Task
from salescope.quality.models import QAReview

from . import state
from .models import FirstTouch, ReplyFact
from .state_callbacks import callback_facts_refresh, callback_facts_refresh_client
from .state_days import add_activity
from .state_deals import deal_facts_refresh
from .state_money import money_keys, money_refresh
from .state_reviews import review_facts_refresh


def before_edit(record: Any) -> Any:
    """What the state must remember of a stored record that is about to change or go."""
    if record.pk is None:
        return None
    if isinstance(record, Activity):
        return state.snapshot(Activity.objects.get(pk=record.pk))
    if isinstance(record, Deal):
        contact_id = Deal.objects.filter(pk=record.pk).values_list("contact_id", flat=True).first()
        return contact_id, money_keys(deal_ids=[record.pk])
    if isinstance(record, Invoice):
        return money_keys(invoice_ids=[record.pk])
    if isinstance(record, Payment):
        return money_keys(payment_ids=[record.pk])
    if isinstance(record, Contact):
        return record.pk
    if isinstance(record, QAReview):
        return QAReview.objects.filter(pk=record.pk).values_list("activity_id", flat=True).first()
    return None


def after_save(record: Any, before: Any) -> None:
    if isinstance(record, Activity):
        if before is None:
            state.activity_recorded(record)
        else:
            state.activity_changed(before, record)
    elif isinstance(record, Deal):
        if before is None:
            state.deal_created(record)
            return
        contact_id, keys = before
        deal_facts_refresh([record.pk, *_deals_of(contact_id)])
        money_refresh(keys | money_keys(deal_ids=[record.pk]))  # the owner may have changed
    elif isinstance(record, Invoice):
        money_refresh((before or set()) | money_keys(invoice_ids=[record.pk]))
    elif isinstance(record, Payment):
        money_refresh((before or set()) | money_keys(payment_ids=[record.pk]))
    elif isinstance(record, Contact) and before is not None:
        state.contact_changed(record.pk)
    elif isinstance(record, Task):
        callback_facts_refresh([record.pk])
    elif isinstance(record, QAReview):
        review_facts_refresh(record.activity_id)
        if before is not None and before != record.activity_id:
            review_facts_refresh(before)


def after_delete(record: Any, before: Any) -> None:
    """After the record is gone (the facts keyed to it by a foreign key went with it)."""
    if isinstance(record, Activity) and before is not None:
        add_activity(before.user_id, before.started_at, before, -1)
        ReplyFact.objects.filter(activity_id=before.id).delete()
        FirstTouch.objects.filter(activity_id=before.id).delete()
        if before.contact_id is not None:
            state.recompute_contact_replies(before.contact_id)
            state.recompute_contact_responses(before.contact_id)
            state.recompute_contact_first_touch(before.contact_id)
        deal_facts_refresh([before.deal_id] if before.deal_id is not None else [])
        callback_facts_refresh_client(before.user_id, before.contact_id)
    elif isinstance(record, Deal) and before is not None:
        deal_facts_refresh(_deals_of(before[0]))  # the contact's other deals: repeat flags
    elif isinstance(record, Invoice | Payment) and before is not None:
        money_refresh(before)


def _deals_of(contact_id: int | None) -> list[int]:
    if contact_id is None:
        return []
    return list(Deal.objects.filter(contact_id=contact_id).values_list("id", flat=True))
