"""Who sees what in the web shell: a manager their own, a head their team's, an admin everything."""

import datetime as dt
from decimal import Decimal

import pytest

from salescope.deals.services import deal_create

from .conftest import T0, client_for


def _contact_names(client, query=""):
    response = client.get("/contacts/" + query)
    assert response.status_code == 200
    return [c.name for c in response.context["page"].object_list]


def _deal_refs(client, query=""):
    response = client.get("/deals/" + query)
    assert response.status_code == 200
    return sorted(d.ref for d in response.context["page"].object_list)


def test_anonymous_visitors_are_sent_to_login(dept, client):
    for url in ("/", "/contacts/", f"/contacts/{dept.kolya_contact.pk}/", "/deals/", f"/deals/{dept.kolya_deal.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_manager_sees_only_their_own_contacts_and_deals(dept):
    kolya = client_for(dept.kolya)
    assert _contact_names(kolya) == ["Иван Петров"]
    assert _deal_refs(kolya) == ["d-kolya"]


@pytest.mark.parametrize("other", ["petya", "vasya"])
def test_manager_gets_404_for_another_managers_contact_and_deal(dept, other):
    kolya = client_for(dept.kolya)
    assert kolya.get(f"/contacts/{getattr(dept, other + '_contact').pk}/").status_code == 404
    assert kolya.get(f"/deals/{getattr(dept, other + '_deal').pk}/").status_code == 404
    assert kolya.get("/contacts/999999/").status_code == 404


def test_a_deal_makes_its_contact_visible_to_the_deal_owner(dept):
    deal_create(
        contact=dept.petya_contact,
        owner=dept.kolya,
        pipeline=dept.pipeline,
        amount=Decimal("10.00"),
        created_at=T0 + dt.timedelta(days=1),
        ref="d-shared",
    )
    kolya = client_for(dept.kolya)
    assert _contact_names(kolya) == ["Иван Петров", "Мария Сидорова"]
    page = kolya.get(f"/contacts/{dept.petya_contact.pk}/")
    assert page.status_code == 200
    # Kolya sees his own deal with Maria on her card, not Petya's.
    assert [e.deal.ref for e in page.context["timeline"].entries] == ["d-shared"]


def test_head_sees_their_team_and_not_the_other(dept):
    head_a = client_for(dept.head_a)
    assert _contact_names(head_a) == ["Иван Петров", "Мария Сидорова"]
    assert _deal_refs(head_a) == ["d-kolya", "d-petya"]
    assert head_a.get(f"/contacts/{dept.petya_contact.pk}/").status_code == 200
    assert head_a.get(f"/contacts/{dept.vasya_contact.pk}/").status_code == 404
    assert head_a.get(f"/deals/{dept.vasya_deal.pk}/").status_code == 404
    head_b = client_for(dept.head_b)
    assert _contact_names(head_b) == ["Олег Казанцев"]
    assert head_b.get(f"/deals/{dept.kolya_deal.pk}/").status_code == 404


def test_admin_sees_everything(dept):
    admin = client_for(dept.admin)
    assert _contact_names(admin) == ["Иван Петров", "Мария Сидорова", "Олег Казанцев"]
    assert _deal_refs(admin) == ["d-kolya", "d-petya", "d-vasya"]
    assert admin.get(f"/deals/{dept.vasya_deal.pk}/").status_code == 200


def test_owner_filter_offers_only_visible_users(dept):
    names = [u.name for u in client_for(dept.head_a).get("/deals/").context["owners"]]
    assert names == ["Коля", "Ольга", "Петя"]
    assert [u.name for u in client_for(dept.kolya).get("/deals/").context["owners"]] == ["Коля"]


def test_search_cannot_reach_outside_the_scope(dept):
    kolya = client_for(dept.kolya)
    assert _contact_names(kolya, "?q=Олег") == []
    assert _contact_names(kolya, "?q=%2B78432000000") == []
