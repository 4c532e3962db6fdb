"""A manager on the deal board: drag a deal to lost with a reason; move one with the keyboard-friendly list."""

from decimal import Decimal

import pytest

from salescope.accounts.services import user_create
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal, LossReason, StageChange
from salescope.deals.services import deal_create, pipeline_create


@pytest.fixture
def board_data(db):
    kolya = user_create(username="kolya", name="Коля", password="kolya12345")
    petya = user_create(username="petya", name="Петя", password="petya12345")
    pipeline = pipeline_create(
        name="Продажи",
        stages=[
            ("new", "Новая", "open"),
            ("talk", "Переговоры", "open"),
            ("won", "Оплачено", "won"),
            ("lost", "Отказ", "lost"),
        ],
    )
    LossReason.objects.create(name="Дорого", position=1)
    LossReason.objects.create(name="Выбрали конкурента", position=2)
    deals = {}
    for title, owner in (("Ромашка", kolya), ("Лютик", kolya), ("Чужая", petya)):
        contact = contact_create(name=f"Клиент {title}", owner=owner)
        deals[title] = deal_create(
            contact=contact, owner=owner, pipeline=pipeline, amount=Decimal("90000"), title=title
        )
    stages = {s.ref: s for s in pipeline.stages.all()}
    return kolya, deals, stages


@pytest.mark.django_db(transaction=True)
def test_a_manager_drags_a_deal_to_lost_and_gives_the_reason(login, live_server, board_data):
    kolya, deals, stages = board_data
    page = login("kolya", "kolya12345")
    page.goto(f"{live_server.url}/board/")
    assert page.locator(".deal-card").count() == 2  # not Петя's deal
    card = f'.deal-card[data-deal="{deals["Ромашка"].pk}"]'
    lost_column = f'.column[data-stage="{stages["lost"].pk}"]'
    page.drag_and_drop(card, lost_column)
    reason = page.locator("#dialog-slot select[name=loss_reason]")
    reason.wait_for(state="visible")
    assert page.locator("#dialog-slot [role=dialog]").is_visible()
    assert StageChange.objects.filter(deal=deals["Ромашка"]).count() == 1  # nothing moves before the reason
    reason.select_option("Дорого")
    page.click("#dialog-slot button[type=submit]")
    page.locator(f"{lost_column} {card}").wait_for()
    assert page.locator("#dialog-slot [role=dialog]").count() == 0
    deal = Deal.objects.get(pk=deals["Ромашка"].pk)
    assert (deal.stage_id, deal.loss_reason) == (stages["lost"].pk, "Дорого")
    last = StageChange.objects.filter(deal=deal).order_by("at", "id").last()
    assert (last.stage_id, last.by_id) == (stages["lost"].pk, kolya.pk)
    assert "Дорого" in page.locator(f"{lost_column} {card}").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_move_to_list_is_the_keyboard_alternative(login, live_server, board_data):
    _, deals, stages = board_data
    page = login("kolya", "kolya12345")
    page.goto(f"{live_server.url}/board/")
    deal_id = deals["Лютик"].pk
    page.focus(f"#move-{deal_id}")
    page.select_option(f"#move-{deal_id}", str(stages["talk"].pk))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f'.column[data-stage="{stages["talk"].pk}"] .deal-card[data-deal="{deal_id}"]').wait_for()
    assert Deal.objects.get(pk=deal_id).stage_id == stages["talk"].pk
    # the opening stage and this move
    assert StageChange.objects.filter(deal_id=deal_id).count() == 2
