"""Records added, changed and deleted in the back office keep the analytics state equal to a rebuild."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.test import RequestFactory

from salescope.activities.models import Activity
from salescope.analytics.models import ReviewFact, ReviewScore
from salescope.analytics.verify import report_differences, state_differences
from salescope.followups.models import Task
from salescope.quality.models import QAReview

from .conftest import Dept, at


def _request(dept: Dept):  # type: ignore[no-untyped-def]
    from salescope.accounts.services import user_create

    request = RequestFactory().post("/admin/")
    request.user = user_create(username="boss", name="Boss", role="admin", password="pw", ref="boss")
    return request


def _assert_state_is_right() -> None:
    assert state_differences() == []
    assert (
        report_differences(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=at("2026-04-10 00:00"))
        == []
    )


@pytest.mark.django_db
def test_back_office_edits_keep_the_state(dept: Dept) -> None:
    request = _request(dept)
    activities, tasks, reviews = (admin.site._registry[m] for m in (Activity, Task, QAReview))
    client = dept.contact("c1")
    deal = dept.deal("d1", client, dept.u1, "2026-03-02 09:00")
    dept.act("email", "2026-03-02 09:30", dept.u2, contact=client, direction="in")

    call = Activity(
        kind="call",
        started_at=at("2026-03-02 10:00"),
        user=dept.u1,
        contact=client,
        deal=deal,
        direction="out",
        status="answered",
        duration_s=60,
    )
    activities.save_model(request, call, None, change=False)  # added in the admin: a reply, a response, a touch
    _assert_state_is_right()

    call.started_at, call.user = at("2026-03-03 11:00"), dept.u2
    activities.save_model(request, call, None, change=True)
    _assert_state_is_right()

    task = Task(
        kind="callback",
        user=dept.u2,
        contact=client,
        created_at=at("2026-03-03 09:00"),
        due_at=at("2026-03-03 12:00"),
        ref="t1",
    )
    tasks.save_model(request, task, None, change=False)
    review = QAReview(activity=call, reviewer=dept.u1, scores={"politeness": 4}, max=5, at=at("2026-03-04 10:00"))
    reviews.save_model(request, review, None, change=False)
    _assert_state_is_right()

    task.due_at = at("2026-03-05 12:00")
    tasks.save_model(request, task, None, change=True)
    _assert_state_is_right()

    review.scores = {"politeness": 2, "script": 5}
    reviews.save_model(request, review, None, change=True)
    _assert_state_is_right()
    assert sorted(ReviewScore.objects.values_list("criterion", "score", "max")) == [
        ("politeness", 2, 5),
        ("script", 5, 5),
    ]
    assert ReviewFact.objects.values_list("scored", "total").get() == (2, 7)

    activities.delete_queryset(request, Activity.objects.filter(pk=call.pk))
    _assert_state_is_right()


@pytest.mark.django_db
def test_a_clients_source_filled_in_later_moves_their_leads_to_that_source(dept: Dept) -> None:
    from salescope.analytics.report import build_report
    from salescope.contacts.models import Contact
    from salescope.contacts.services import contact_fill_blanks

    client = dept.contact("c1")
    Contact.objects.filter(pk=client.pk).update(source="", campaign="")
    client.refresh_from_db()
    dept.deal("d1", client, dept.u1, "2026-03-02 09:00")

    def sources() -> list[str]:
        report = build_report(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), as_of=at("2026-04-10"))
        return sorted(source for source, row in report["sources"].items() if row["leads"])

    assert sources() == [""]
    contact_fill_blanks(client, source="yandex_direct", campaign="spring")  # a web form told us later
    assert sources() == ["yandex_direct"]
    _assert_state_is_right()

    request = _request(dept)
    client.source = "seo"
    admin.site._registry[Contact].save_model(request, client, None, change=True)
    assert sources() == ["seo"]
    _assert_state_is_right()


@pytest.mark.django_db
def test_back_office_money_edits_keep_the_state(dept: Dept) -> None:
    from decimal import Decimal

    from salescope.billing.models import Invoice, Payment
    from salescope.billing.services import invoice_issue, payment_record
    from salescope.deals.models import Deal

    request = _request(dept)
    invoices, payments, deals = (admin.site._registry[m] for m in (Invoice, Payment, Deal))
    deal = dept.deal("d1", dept.contact("c1"), dept.u1, "2026-03-02 09:00")
    invoice = invoice_issue(deal=deal, amount=Decimal("1000.10"), issued_at=at("2026-03-03 23:30"))
    payment_record(invoice=invoice, amount=Decimal("400.05"), paid_at=at("2026-03-31 22:00"))  # April 1st in Moscow
    _assert_state_is_right()

    invoice.amount, invoice.issued_at = Decimal("999.99"), at("2026-03-10 12:00")
    invoices.save_model(request, invoice, None, change=True)
    _assert_state_is_right()

    payment = Payment(invoice=invoice, amount=Decimal("0.01"), paid_at=at("2026-03-11 12:00"), ref="p2")
    payments.save_model(request, payment, None, change=False)
    _assert_state_is_right()

    deal.owner = dept.u2  # the money moves with the deal's owner
    deals.save_model(request, deal, SimpleNamespace(cleaned_data={}), change=True)
    _assert_state_is_right()

    payments.delete_queryset(request, Payment.objects.filter(pk=payment.pk))
    _assert_state_is_right()
