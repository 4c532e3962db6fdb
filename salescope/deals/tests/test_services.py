import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from salescope.accounts.services import user_create
from salescope.contacts.services import contact_create, contact_find_by_phone
from salescope.core.errors import ServiceError
from salescope.deals.models import Deal, StageChange
from salescope.deals.services import deal_create, deal_move_stage, pipeline_create

UTC = dt.UTC


@pytest.fixture
def pipeline():
    return pipeline_create(
        name="Sales",
        ref="main",
        stages=[("new", "New", "open"), ("talk", "Talk", "open"), ("won", "Won", "won"), ("lost", "Lost", "lost")],
    )


@pytest.mark.django_db
def test_deal_create_writes_first_stage_change(pipeline):
    owner = user_create(username="kolya", name="Коля")
    contact = contact_create(name="Иван", phones=["8 (916) 123-45-67"])
    at = dt.datetime(2026, 3, 2, 6, 15, tzinfo=UTC)
    deal = deal_create(contact=contact, owner=owner, pipeline=pipeline, amount=Decimal("100.00"), created_at=at)
    changes = list(StageChange.objects.filter(deal=deal))
    assert [(c.stage.ref, c.at) for c in changes] == [("new", at)]
    assert contact_find_by_phone("+7 916 123 45 67") == contact


@pytest.mark.django_db
def test_moves_keep_history_and_current_stage(pipeline):
    owner = user_create(username="kolya", name="Коля")
    contact = contact_create(name="Иван")
    t0 = dt.datetime(2026, 3, 2, 6, 15, tzinfo=UTC)
    deal = deal_create(contact=contact, owner=owner, pipeline=pipeline, amount=Decimal("5"), created_at=t0)
    won = pipeline.stages.get(ref="won")
    talk = pipeline.stages.get(ref="talk")
    deal_move_stage(deal=deal, stage=won, at=t0 + dt.timedelta(days=2))
    deal_move_stage(deal=deal, stage=talk, at=t0 + dt.timedelta(days=3))
    deal.refresh_from_db()
    assert deal.stage == talk
    assert list(StageChange.objects.filter(deal=deal).values_list("stage__ref", flat=True)) == ["new", "won", "talk"]
    with pytest.raises(ServiceError):
        deal_move_stage(deal=deal, stage=won, at=t0 - dt.timedelta(days=1))


@pytest.mark.django_db
def test_negative_amount_is_refused_by_the_database(pipeline):
    owner = user_create(username="kolya", name="Коля")
    contact = contact_create(name="Иван")
    with pytest.raises(IntegrityError):
        Deal.objects.create(
            ref="d1",
            contact=contact,
            owner=owner,
            pipeline=pipeline,
            created_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
            amount=Decimal("-1"),
        )
