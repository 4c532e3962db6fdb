import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from salescope.accounts.services import team_create, user_create
from salescope.activities.services import activity_record
from salescope.api.management.commands.api_schema import SCHEMA_PATH, schema_text
from salescope.api.models import ApiToken
from salescope.api.services import api_token_create

MSK = dt.timezone(dt.timedelta(hours=3))
URL = "/api/v1/reports/department?from=2026-03-01&to=2026-03-31&as_of=2026-04-01T00:00:00%2B03:00"


@pytest.fixture
def people(db):
    t1 = team_create(name="One", ref="t1")
    t2 = team_create(name="Two", ref="t2")
    people = {
        "m1": user_create(username="m1", name="M1", team=t1),
        "m2": user_create(username="m2", name="M2", team=t1),
        "m3": user_create(username="m3", name="M3", team=t2),
        "h1": user_create(username="h1", name="H1", role="head", team=t1),
        "admin": user_create(username="admin", name="Admin", role="admin"),
    }
    for ref in ("m1", "m2", "m3"):
        activity_record(
            kind="call",
            direction="out",
            status="missed",
            user=people[ref],
            started_at=dt.datetime(2026, 3, 2, tzinfo=MSK),
        )
    activity_record(kind="call", direction="in", status="missed", started_at=dt.datetime(2026, 3, 3, tzinfo=MSK))
    return people


def get(url: str, raw: str) -> tuple[int, object]:
    response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    return response.status_code, json.loads(response.content)


def test_requires_authentication(people):
    assert Client().get(URL).status_code == 401
    assert Client().get(URL, HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_admin_sees_everything_including_records_without_user(people):
    _, raw = api_token_create(user=people["admin"])
    status, body = get(URL, raw)
    assert status == 200
    assert set(body["users"]) == {"m1", "m2", "m3", "h1", "admin"}
    assert set(body["teams"]) == {"t1", "t2"}
    assert body["department"]["calls_out"] == 3
    assert body["department"]["calls_in_missed"] == 1
    assert body["period"]["as_of"] == "2026-04-01T00:00:00+03:00"
    assert ApiToken.objects.get().last_used_at is not None


def test_manager_sees_only_themselves(people):
    _, raw = api_token_create(user=people["m1"])
    status, body = get(URL, raw)
    assert status == 200
    assert list(body["users"]) == ["m1"]
    assert body["teams"] == {}
    assert body["department"]["calls_out"] == 1
    assert body["department"]["calls_in_missed"] == 0


def test_head_sees_their_team(people):
    client = Client()
    people["h1"].set_password("secret-1")
    people["h1"].save()
    assert client.login(username="h1", password="secret-1")
    body = json.loads(client.get(URL).content)
    assert set(body["users"]) == {"m1", "m2", "h1"}
    assert list(body["teams"]) == ["t1"]
    assert body["teams"]["t1"]["calls_out"] == 2
    assert body["department"]["calls_out"] == 2


def test_records_are_scoped(people):
    _, raw = api_token_create(user=people["m1"])
    base = "/api/v1/reports/records?metric=calls_out&from=2026-03-01&to=2026-03-31"
    status, body = get(base + "&user=m1", raw)
    assert status == 200
    assert [r["user"] for r in body] == ["m1"]
    status, body = get(base + "&user=m2", raw)
    assert status == 403
    status, body = get(base + "&team=t1", raw)
    assert status == 403
    status, body = get(base.replace("calls_out", "nonsense"), raw)
    assert (status, body) == (400, {"detail": "unknown metric: 'nonsense'"})


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2026-03-31&to=2026-03-01", "'to' (2026-03-01) is before 'from' (2026-03-31)"),
        ("from=2026-03-01&to=2026-03-31&tz=Mars/Base", "unknown time zone: 'Mars/Base'"),
        ("from=2026-03-01&to=2026-03-31&as_of=2026-04-01T00:00", "time without an offset: '2026-04-01T00:00'"),
        ("from=2026-3-1&to=2026-03-31", "expected a date YYYY-MM-DD: '2026-3-1'"),
    ],
)
def test_bad_parameters_are_400(people, query, message):
    _, raw = api_token_create(user=people["admin"])
    assert get(f"/api/v1/reports/department?{query}", raw) == (400, {"detail": message})


def test_token_command_prints_a_working_token(people, capsys):
    call_command("api_token", "m2")
    raw = capsys.readouterr().out.strip()
    status, body = get(URL, raw)
    assert status == 200 and list(body["users"]) == ["m2"]


def test_committed_openapi_schema_is_current():
    assert Path(SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), "run `salescope api_schema`"


def test_an_unencoded_plus_in_as_of_is_read_as_the_offset(people):
    _, raw = api_token_create(user=people["admin"])
    status, body = get("/api/v1/reports/department?from=2026-03-01&to=2026-03-31&as_of=2026-04-01T00:00:00+03:00", raw)
    assert status == 200 and body["period"]["as_of"] == "2026-04-01T00:00:00+03:00"
