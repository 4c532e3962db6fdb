"""The back office: scoped like the web pages, stage moves only through deal services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from salescope.activities.services import activity_record
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal, StageChange
from salescope.deals.services import deal_create

from .conftest import T0, client_for

DOMAIN_APPS = {"accounts", "contacts", "deals", "activities", "followups", "billing", "marketing", "quality"}


def _changelist(client, model):
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    assert response.status_code == 200
    return response.context["cl"]


def test_managers_do_not_get_the_admin(dept):
    response = client_for(dept.kolya).get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_every_registered_model_opens_for_admin_and_head(dept):
    admin_client, head_client = client_for(dept.admin), client_for(dept.head_a)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in DOMAIN_APPS:
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert head_client.get(reverse(f"{name}_changelist")).status_code == 200, name
        can_add = model_admin.has_add_permission(type("R", (), {"user": dept.admin})())
        assert admin_client.get(reverse(f"{name}_add")).status_code == (200 if can_add else 403), name


def test_head_sees_their_team_in_the_admin(dept):
    activity_record(kind="note", started_at=T0, user=dept.vasya, contact=dept.vasya_contact, ref="a-b")
    activity_record(kind="note", started_at=T0, user=dept.petya, contact=dept.petya_contact, ref="a-a")
    head = client_for(dept.head_a)
    from salescope.accounts.models import Team, User
    from salescope.activities.models import Activity
    from salescope.contacts.models import Contact

    assert sorted(c.ref for c in _changelist(head, Contact).result_list) == ["c-ivan", "c-maria"]
    assert sorted(d.ref for d in _changelist(head, Deal).result_list) == ["d-kolya", "d-petya"]
    assert [a.ref for a in _changelist(head, Activity).result_list] == ["a-a"]
    assert sorted(u.username for u in _changelist(head, User).result_list) == ["head_a", "kolya", "petya"]
    assert [t.ref for t in _changelist(head, Team).result_list] == ["t-a"]
    assert len(_changelist(client_for(dept.admin), Contact).result_list) == 3
    other = head.get(reverse("admin:contacts_contact_change", args=[dept.vasya_contact.pk]))
    assert other.status_code == 302 and other["Location"] == reverse("admin:index")


def test_head_edits_but_does_not_delete(dept):
    head = client_for(dept.head_a)
    url = reverse("admin:contacts_contact_delete", args=[dept.kolya_contact.pk])
    assert head.get(url).status_code == 403
    assert head.get(reverse("admin:deals_pipeline_add")).status_code == 403


def test_stage_history_is_read_only_in_the_admin(dept):
    admin_client = client_for(dept.admin)
    change = StageChange.objects.get(deal=dept.kolya_deal)
    assert admin_client.get(reverse("admin:deals_stagechange_add")).status_code == 403
    assert admin_client.get(reverse("admin:deals_stagechange_delete", args=[change.pk])).status_code == 403
    page = admin_client.get(reverse("admin:deals_stagechange_change", args=[change.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def _deal_post(deal_or_none, **fields):
    data = {
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "stage_changes-TOTAL_FORMS": "0",
        "stage_changes-INITIAL_FORMS": "0",
    }
    if deal_or_none is not None:
        count = str(deal_or_none.stage_changes.count())
        data |= {"stage_changes-TOTAL_FORMS": count, "stage_changes-INITIAL_FORMS": count}
    return data | fields


def test_admin_moves_a_deal_through_the_service(dept):
    deal = dept.kolya_deal
    talk = dept.pipeline.stages.get(ref="talk")
    url = reverse("admin:deals_deal_change", args=[deal.pk])
    data = _deal_post(
        deal, title="Новое имя", contact=deal.contact_id, owner=deal.owner_id, amount="150000.00", move_to=talk.pk
    )
    response = client_for(dept.head_a).post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    deal.refresh_from_db()
    assert (deal.title, deal.stage.ref) == ("Новое имя", "talk")
    assert [(c.stage.ref, c.by.username) for c in deal.stage_changes.order_by("at", "id")] == [
        ("new", "kolya"),
        ("talk", "head_a"),
    ]


def test_admin_refuses_a_stage_of_another_pipeline(dept):
    from salescope.deals.services import pipeline_create

    other = pipeline_create(name="Партнёры", ref="p2", stages=[("p-new", "Заявка", "open"), ("p-won", "Да", "won")])
    deal = dept.kolya_deal
    data = _deal_post(
        deal,
        title="x",
        contact=deal.contact_id,
        owner=deal.owner_id,
        amount="1.00",
        move_to=other.stages.get(ref="p-won").pk,
    )
    response = client_for(dept.admin).post(reverse("admin:deals_deal_change", args=[deal.pk]), data)
    assert response.status_code == 200
    assert "move_to" in response.context["adminform"].form.errors
    assert deal.stage_changes.count() == 1


def test_admin_creates_a_deal_with_its_first_stage_change(dept):
    data = _deal_post(
        None,
        pipeline=dept.pipeline.pk,
        created_at_0="02.03.2026",
        created_at_1="12:00:00",
        title="Из админки",
        contact=dept.kolya_contact.pk,
        owner=dept.kolya.pk,
        amount="500.00",
    )
    response = client_for(dept.admin).post(reverse("admin:deals_deal_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    deal = Deal.objects.get(title="Из админки")
    assert deal.ref.startswith("deal-") and deal.stage.ref == "new"
    assert deal.created_at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # 12:00 Moscow
    assert [(c.stage.ref, c.at, c.by.username) for c in deal.stage_changes.all()] == [("new", deal.created_at, "admin")]


def test_head_cannot_give_a_deal_to_another_teams_contact(dept):
    deal = dept.kolya_deal
    data = _deal_post(deal, title="x", contact=dept.vasya_contact.pk, owner=dept.vasya.pk, amount="1.00")
    response = client_for(dept.head_a).post(reverse("admin:deals_deal_change", args=[deal.pk]), data)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"contact", "owner"}


def test_admin_contact_phone_is_stored_in_e164(dept):
    data = {
        "name": "Новый клиент",
        "company": "",
        "created_at_0": "02.03.2026",
        "created_at_1": "10:00:00",
        "source": "seo",
        "campaign": "",
        "utm": "{}",
        "ga_client_id": "",
        "ym_client_id": "",
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "phones-0-number": "8 (999) 111-22-33",
        "phones-0-position": "0",
        "emails-TOTAL_FORMS": "0",
        "emails-INITIAL_FORMS": "0",
    }
    response = client_for(dept.admin).post(reverse("admin:contacts_contact_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    from salescope.contacts.models import Contact

    contact = Contact.objects.get(name="Новый клиент")
    assert [p.number for p in contact.phones.all()] == ["+79991112233"]
    assert contact.ref.startswith("contact-")


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:deals_deal_changelist",
        "admin:contacts_contact_changelist",
        "admin:activities_activity_changelist",
        "admin:followups_task_changelist",
    ],
)
def test_changelists_do_not_query_per_row(dept, url_name):
    client = client_for(dept.admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    before = count()
    for i in range(10):
        contact = contact_create(name=f"Клиент {i}", owner=dept.petya, created_at=T0)
        deal = deal_create(contact=contact, owner=dept.petya, pipeline=dept.pipeline, amount=Decimal(i), created_at=T0)
        activity_record(
            kind="call",
            started_at=T0,
            user=dept.petya,
            contact=contact,
            deal=deal,
            direction="out",
            status="answered",
            duration_s=10,
        )
        from salescope.followups.services import task_create

        task_create(kind="call", user=dept.petya, due_at=T0, contact=contact, deal=deal)
    assert count() == before
