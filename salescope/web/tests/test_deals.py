from decimal import Decimal

import pytest

from salescope.deals.models import Product
from salescope.deals.services import ItemLine, deal_create, deal_move_stage

from .conftest import T0, client_for


@pytest.fixture
def won_deal(dept):
    licence = Product.objects.create(ref="p-lic", name="Лицензия", price=Decimal("1250.50"))
    setup = Product.objects.create(ref="p-setup", name="Внедрение", price=Decimal("30000.00"))
    deal = deal_create(
        contact=dept.kolya_contact,
        owner=dept.kolya,
        pipeline=dept.pipeline,
        created_at=T0,
        title="Лицензии",
        items=[ItemLine(licence, 3, Decimal("1250.50")), ItemLine(setup, 1, Decimal("30000.00"))],
        ref="d-lic",
    )
    stages = {s.ref: s for s in dept.pipeline.stages.all()}
    deal_move_stage(deal=deal, stage=stages["talk"], at=T0.replace(day=3), by=dept.kolya)
    deal_move_stage(deal=deal, stage=stages["won"], at=T0.replace(day=5, hour=21), by=dept.head_a)
    return deal


def test_deal_list_shows_amount_and_current_stage_in_russian_format(dept, won_deal):
    html = client_for(dept.kolya).get("/deals/").content.decode()
    assert "33\xa0751,50\xa0₽" in html  # 3 × 1250.50 + 30000.00
    assert '<span class="stage stage-won">Оплачено</span>' in html
    assert '<span class="stage stage-open">Новая</span>' in html  # the fixture's deal


def test_deal_list_filters(dept, won_deal):
    admin = client_for(dept.admin)
    won = dept.pipeline.stages.get(ref="won")

    def refs(**params):
        return sorted(d.ref for d in admin.get("/deals/", params).context["page"].object_list)

    assert refs() == ["d-kolya", "d-lic", "d-petya", "d-vasya"]
    assert refs(stage=won.pk) == ["d-lic"]
    assert refs(owner=dept.vasya.pk) == ["d-vasya"]
    assert refs(pipeline=dept.pipeline.pk, owner=dept.kolya.pk) == ["d-kolya", "d-lic"]
    assert refs(pipeline=dept.pipeline.pk + 100) == []
    assert refs(owner="not-a-number") == ["d-kolya", "d-lic", "d-petya", "d-vasya"]


def test_head_filtering_by_another_teams_owner_gets_nothing(dept):
    response = client_for(dept.head_a).get("/deals/", {"owner": dept.vasya.pk})
    assert list(response.context["page"].object_list) == []


def test_deal_page_shows_items_and_stage_history_in_department_time(dept, won_deal):
    response = client_for(dept.kolya).get(f"/deals/{won_deal.pk}/")
    html = response.content.decode()
    deal = response.context["deal"]
    assert [(i.product.name, i.quantity) for i in deal.items.all()] == [("Лицензия", 3), ("Внедрение", 1)]
    assert [(c.stage.ref, c.by.name) for c in deal.stage_changes.all()] == [
        ("new", "Коля"),
        ("talk", "Коля"),
        ("won", "Ольга"),
    ]
    assert "3\xa0751,50\xa0₽" in html and "30\xa0000,00\xa0₽" in html
    # 21:15 UTC on 5 March is 00:15 on 6 March in Moscow.
    assert "06.03.2026 00:15" in html


def test_deal_page_in_english_formats_money_the_english_way(dept, won_deal):
    client = client_for(dept.kolya)
    client.post("/i18n/setlang/", {"language": "en", "next": "/deals/"})
    html = client.get(f"/deals/{won_deal.pk}/").content.decode()
    assert "33,751.50\xa0₽" in html
