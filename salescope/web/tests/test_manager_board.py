"""The deal board: columns per stage, moves through deal_move_stage, loss reasons, won confirmation, scoping."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from salescope.contacts.services import contact_create
from salescope.deals.models import Deal, LossReason, Product, StageChange
from salescope.deals.services import ItemLine, deal_create, deal_move_stage, pipeline_create

from .conftest import client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def stages(dept):
    return {s.ref: s for s in dept.pipeline.stages.all()}


@pytest.fixture
def reasons(db):
    return [
        LossReason.objects.create(name="Дорого", position=1),
        LossReason.objects.create(name="Выбрали конкурента", position=2),
        LossReason.objects.create(name="Старая причина", position=3, active=False),
    ]


def _column(html: str, stage) -> str:
    start = html.index(f'data-stage="{stage.pk}"')
    return html[start : html.find("</section>", start)]


def test_the_board_shows_my_deals_by_stage_and_nobody_elses(dept, stages):
    deal_move_stage(deal=dept.kolya_deal, stage=stages["talk"], by=dept.kolya)
    html = client_for(dept.kolya).get("/board/").content.decode()
    assert "Сделка kolya" in _column(html, stages["talk"])
    assert "Сделка kolya" not in _column(html, stages["new"])
    assert "Сделка petya" not in html and "Сделка vasya" not in html
    head = client_for(dept.head_a).get("/board/").content.decode()
    assert "Сделка kolya" in head and "Сделка petya" in head and "Сделка vasya" not in head


def test_old_closed_deals_leave_the_board_but_open_ones_stay(dept, stages):
    deal_move_stage(deal=dept.kolya_deal, stage=stages["lost"], by=dept.kolya)  # closed long after T0: recent
    old = deal_create(
        contact=dept.kolya_contact,
        owner=dept.kolya,
        pipeline=dept.pipeline,
        amount=Decimal("1"),
        created_at=timezone.now() - dt.timedelta(days=90),
        title="Давно проиграна",
    )
    deal_move_stage(deal=old, stage=stages["lost"], at=timezone.now() - dt.timedelta(days=31), by=dept.kolya)
    html = client_for(dept.kolya).get("/board/").content.decode()
    assert "Сделка kolya" in _column(html, stages["lost"])
    assert "Давно проиграна" not in html


def test_the_board_query_count_does_not_grow_with_the_deals(dept, stages, reasons, django_assert_num_queries):
    client = client_for(dept.kolya)
    client.get("/board/")  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        client.get("/board/")
    for i in range(30):
        contact = contact_create(name=f"Клиент {i}", owner=dept.kolya)
        deal = deal_create(contact=contact, owner=dept.kolya, pipeline=dept.pipeline, amount=Decimal(i))
        deal_move_stage(deal=deal, stage=stages["talk" if i % 2 else "won"], by=dept.kolya)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get("/board/").content.decode()
    assert html.count('class="deal-card"') == 31
    # session + user, pipelines + their stages, cards per column, the deals, the unread notifications
    assert len(few.captured_queries) == 7


def test_moving_a_card_writes_the_stage_history_and_returns_the_board(dept, stages):
    response = client_for(dept.kolya).post(
        f"/board/deals/{dept.kolya_deal.pk}/move/", {"stage": stages["talk"].pk}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="board"')
    assert "Сделка kolya" in _column(html, stages["talk"])
    change = StageChange.objects.filter(deal=dept.kolya_deal).order_by("at", "id").last()
    assert (change.stage, change.by) == (stages["talk"], dept.kolya)
    assert Deal.objects.get(pk=dept.kolya_deal.pk).stage == stages["talk"]


def test_without_htmx_a_move_redirects_back_to_the_board(dept, stages):
    response = client_for(dept.kolya).post(f"/board/deals/{dept.kolya_deal.pk}/move/", {"stage": stages["talk"].pk})
    assert response.status_code == 302
    assert response.url == f"/board/?pipeline={dept.pipeline.pk}"


def test_moving_to_lost_asks_for_a_reason_from_the_list(dept, stages, reasons):
    client = client_for(dept.kolya)
    url = f"/board/deals/{dept.kolya_deal.pk}/move/"
    asked = client.post(url, {"stage": stages["lost"].pk}, **HTMX)
    assert asked.headers["HX-Retarget"] == "#dialog-slot"
    dialog = asked.content.decode()
    assert '<option value="Дорого">' in dialog and '<option value="Выбрали конкурента">' in dialog
    assert "Старая причина" not in dialog
    assert StageChange.objects.filter(deal=dept.kolya_deal).count() == 1

    invented = client.post(url, {"stage": stages["lost"].pk, "loss_reason": "Придумал сам"}, **HTMX)
    assert invented.headers["HX-Retarget"] == "#dialog-slot"
    assert 'role="alert"' in invented.content.decode()
    assert StageChange.objects.filter(deal=dept.kolya_deal).count() == 1

    done = client.post(url, {"stage": stages["lost"].pk, "loss_reason": "Дорого"}, **HTMX)
    assert "HX-Retarget" not in done.headers
    assert '<div id="dialog-slot" hx-swap-oob="true"></div>' in done.content.decode()
    deal = Deal.objects.get(pk=dept.kolya_deal.pk)
    assert (deal.stage, deal.loss_reason) == (stages["lost"], "Дорого")
    assert StageChange.objects.filter(deal=deal, stage=stages["lost"], by=dept.kolya).count() == 1


def test_with_no_configured_reasons_the_manager_types_one(dept, stages):
    client = client_for(dept.kolya)
    url = f"/board/deals/{dept.kolya_deal.pk}/move/"
    assert 'type="text" name="loss_reason"' in client.post(url, {"stage": stages["lost"].pk}, **HTMX).content.decode()
    client.post(url, {"stage": stages["lost"].pk, "loss_reason": "Закрылись"}, **HTMX)
    assert Deal.objects.get(pk=dept.kolya_deal.pk).loss_reason == "Закрылись"


def test_moving_to_won_confirms_the_amount(dept, stages):
    client = client_for(dept.kolya)
    url = f"/board/deals/{dept.kolya_deal.pk}/move/"
    asked = client.post(url, {"stage": stages["won"].pk}, **HTMX).content.decode()
    assert 'name="amount" value="150000.00"' in asked and 'name="confirm" value="1"' in asked
    bad = client.post(url, {"stage": stages["won"].pk, "confirm": "1", "amount": "сто"}, **HTMX)
    assert bad.headers["HX-Retarget"] == "#dialog-slot"
    client.post(url, {"stage": stages["won"].pk, "confirm": "1", "amount": "140 000,50"}, **HTMX)
    deal = Deal.objects.get(pk=dept.kolya_deal.pk)
    assert (deal.stage, deal.amount) == (stages["won"], Decimal("140000.50"))


def test_a_won_deal_with_items_shows_them_and_keeps_their_total(dept, stages):
    product = Product.objects.create(ref="p-1", name="Лицензия", price=Decimal("500.00"))
    deal = deal_create(
        contact=dept.kolya_contact,
        owner=dept.kolya,
        pipeline=dept.pipeline,
        items=[ItemLine(product, 3, Decimal("500.00"))],
        title="С позициями",
    )
    client = client_for(dept.kolya)
    url = f"/board/deals/{deal.pk}/move/"
    asked = client.post(url, {"stage": stages["won"].pk}, **HTMX).content.decode()
    assert "Лицензия" in asked and "1\xa0500,00\xa0₽" in asked and 'name="amount"' not in asked
    refused = client.post(url, {"stage": stages["won"].pk, "confirm": "1", "amount": "999"}, **HTMX)
    assert "differs from the items" in refused.content.decode()
    client.post(url, {"stage": stages["won"].pk, "confirm": "1"}, **HTMX)
    deal.refresh_from_db()
    assert (deal.stage, deal.amount) == (stages["won"], Decimal("1500.00"))


def test_another_managers_deal_cannot_be_moved(dept, stages):
    response = client_for(dept.kolya).post(f"/board/deals/{dept.petya_deal.pk}/move/", {"stage": stages["talk"].pk})
    assert response.status_code == 404
    assert Deal.objects.get(pk=dept.petya_deal.pk).stage == stages["new"]


def test_a_stage_of_another_pipeline_is_refused(dept):
    other = pipeline_create(name="Сервис", stages=[("s-open", "Открыта", "open"), ("s-won", "Готово", "won")])
    response = client_for(dept.kolya).post(
        f"/board/deals/{dept.kolya_deal.pk}/move/", {"stage": other.stages.get(ref="s-won").pk}
    )
    assert response.status_code == 400
    assert StageChange.objects.filter(deal=dept.kolya_deal).count() == 1


def test_the_board_of_another_pipeline(dept):
    other = pipeline_create(name="Сервис", stages=[("s-open", "Открыта", "open"), ("s-won", "Готово", "won")])
    html = client_for(dept.kolya).get(f"/board/?pipeline={other.pk}").content.decode()
    assert "Открыта" in html and "Сделка kolya" not in html
    assert client_for(dept.kolya).get("/board/?pipeline=99999").status_code == 404


def test_a_full_column_shows_the_latest_cards_and_links_to_the_rest(dept, stages, monkeypatch):
    monkeypatch.setattr("salescope.deals.queries.BOARD_COLUMN_LIMIT", 3)
    now = timezone.now()
    for i in range(5):
        contact = contact_create(name=f"Клиент {i}", owner=dept.kolya)
        deal = deal_create(
            contact=contact,
            owner=dept.kolya,
            pipeline=dept.pipeline,
            amount=Decimal(i),
            title=f"Д{i}",
            created_at=now - dt.timedelta(days=1),
        )
        deal_move_stage(deal=deal, stage=stages["talk"], at=now - dt.timedelta(hours=10 - i), by=dept.kolya)
    column = _column(client_for(dept.kolya).get("/board/").content.decode(), stages["talk"])
    assert '<span class="count">5</span>' in column
    assert [t for t in ("Д0", "Д1", "Д2", "Д3", "Д4") if f">{t}</a>" in column] == ["Д2", "Д3", "Д4"]
    assert column.index(">Д4</a>") < column.index(">Д2</a>")  # the latest move first
    assert f'href="/deals/?pipeline={dept.pipeline.pk}&amp;stage={stages["talk"].pk}"' in column
    assert "ещё 2 сделки в списке" in column
