"""The REST API (django-ninja), mounted at /api/v1/. Authenticated by session or `Authorization: Bearer <token>`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import NinjaAPI, Query, Schema
from ninja.security import HttpBearer, django_auth

from salescope.accounts.models import User
from salescope.analytics.period import zone
from salescope.analytics.records import metric_records
from salescope.analytics.report import build_report
from salescope.core.scope import scope_for
from salescope.core.timeutil import parse_date, parse_instant

from .services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_user(token)


api = NinjaAPI(
    title="Salescope API",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), django_auth],
    description=(
        "Reports are scoped by the caller's role: a manager gets only their own user object and no teams, a head "
        "their team's users and their team, an admin everything. For a restricted caller `department` (and funnel "
        "and sources) is the same computation over the users they may see; ad spend has no owner and is the "
        "department's."
    ),
)


class PeriodQuery(Schema):
    date_from: str = Query(..., alias="from", description="first local date, YYYY-MM-DD")  # type: ignore[assignment]
    date_to: str = Query(..., alias="to", description="last local date (inclusive), YYYY-MM-DD")  # type: ignore[assignment]
    as_of: str | None = Query(None, description="ISO 8601 time with an offset (default: now)")  # type: ignore[assignment]
    tz: str | None = Query(None, description="IANA time zone (default: the department's)")  # type: ignore[assignment]


class RecordsQuery(PeriodQuery):
    metric: str = Query(..., description="metric key, e.g. missed_calls_returned")  # type: ignore[assignment]
    user: str | None = Query(None, description="user id; with neither user nor team: the department")  # type: ignore[assignment]
    team: str | None = Query(None, description="team id")  # type: ignore[assignment]


class Error(Schema):
    detail: str


class BadRequest(ValueError):
    pass


def _period(query: PeriodQuery) -> tuple[dt.date, dt.date, dt.datetime | None, str | None]:
    try:
        date_from = parse_date(query.date_from)
        date_to = parse_date(query.date_to)
        as_of = parse_instant(_plus_restored(query.as_of)) if query.as_of else None
        if query.tz:
            zone(query.tz)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    if date_to < date_from:
        raise BadRequest(f"'to' ({date_to}) is before 'from' ({date_from})")
    return date_from, date_to, as_of, query.tz


def _plus_restored(text: str) -> str:
    """An unencoded '+' of an offset arrives as a space: '2026-04-01T00:00:00 03:00' means +03:00."""
    return re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", text)


@api.exception_handler(BadRequest)
def bad_request(request: HttpRequest, exc: BadRequest) -> JsonResponse:
    return JsonResponse({"detail": str(exc)}, status=400)


def _caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@api.get(
    "/reports/department",
    response={200: dict[str, Any], 400: Error},
    summary="The report JSON of metrics.md for a period, scoped to the caller",
    tags=["reports"],
)
def department_report(request: HttpRequest, query: Query[PeriodQuery]) -> JsonResponse:
    date_from, date_to, as_of, tz = _period(query)
    try:
        report = build_report(
            date_from=date_from, date_to=date_to, as_of=as_of, tz=tz, scope=scope_for(_caller(request))
        )
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    return JsonResponse(report, json_dumps_params={"ensure_ascii": False})


@api.get(
    "/reports/records",
    response={200: list[dict[str, Any]], 400: Error, 403: Error},
    summary="The records that make up one metric of a user, a team or the department",
    tags=["reports"],
)
def metric_records_view(request: HttpRequest, query: Query[RecordsQuery]) -> JsonResponse:
    date_from, date_to, as_of, tz = _period(query)
    if query.user and query.team:
        raise BadRequest("give either user or team, not both")
    try:
        records = metric_records(
            metric=query.metric,
            date_from=date_from,
            date_to=date_to,
            as_of=as_of,
            tz=tz,
            user=query.user,
            team=query.team,
            scope=scope_for(_caller(request)),
        )
    except KeyError as exc:
        raise BadRequest(f"unknown metric: {query.metric!r}") from exc
    except PermissionError as exc:
        return JsonResponse({"detail": str(exc)}, status=403)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    return JsonResponse(records, safe=False, json_dumps_params={"ensure_ascii": False})


def openapi_schema() -> dict[str, Any]:
    schema: dict[str, Any] = api.get_openapi_schema(path_prefix="/api/v1")
    return schema
