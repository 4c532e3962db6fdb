"""The head's screens: thin views over reports.py (the analytics engine) and presentation.py."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import plotly
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from salescope.accounts.models import User
from salescope.analytics.registry import metric_by_key
from salescope.core.scope import Scope, scope_for
from salescope.deals.models import Pipeline, Stage

from . import comparison, reports
from .forms import DigestForm
from .models import DigestSubscription
from .periods import CHOICES, Span, month_end, month_start, recent_months, span_from_params
from .presentation import change, definition, format_value, label
from .queries import call_heatmap
from .series import series

TILES = (
    "revenue_won",
    "paid",
    "deals_won",
    "win_rate",
    "avg_check",
    "leads_new",
    "first_response_median_s",
    "first_response_sla_rate",
    "missed_calls_returned",
    "callback_on_time_rate",
)
TREND_MONTHS = 6
TREND_METRICS = ("revenue_won", "deals_won", "win_rate", "calls_out", "first_response_median_s", "qa_score_avg")
RECORDS_LIMIT = 200  # rows shown; the count (and the API's records endpoint) cover them all
CALLBACKS_LISTED = 15


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)  # type: ignore[arg-type]


class BadParams(ValueError):
    pass


def _span(request: HttpRequest) -> Span:
    try:
        return span_from_params(request.GET.dict())
    except ValueError as exc:
        raise BadParams(str(exc)) from exc


def _choice(request: HttpRequest, name: str, allowed: list[str]) -> str | None:
    value = request.GET.get(name, "")
    if not value:
        return None
    if value not in allowed:
        raise BadParams(f"{name}: unknown or not visible: {value!r}")
    return value


def _team_choice(request: HttpRequest, teams: Iterable[Any]) -> str | None:
    """The `team` parameter, which must name one of the teams the caller may see."""
    return _choice(request, "team", [t.ref for t in teams])


def _bad(exc: Exception) -> HttpResponse:
    return HttpResponseBadRequest(str(exc))


def _base_context(request: HttpRequest, span: Span, scope: Scope) -> dict[str, Any]:
    return {"span": span, "choices": CHOICES, "teams": reports.teams(scope), "scope": scope}


def _tiles(values: dict[str, Any], previous: dict[str, Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {"key": key, "value": values[key], "change": change(key, values[key], previous[key]), "label": label(key)}
        for key in keys
    ]


def _plan_span(span: Span) -> Span:
    return Span("custom", month_start(span.date_from), month_end(span.date_to))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        span = _span(request)
        context = _base_context(request, span, scope)
        team = _team_choice(request, context["teams"])
    except BadParams as exc:
        return _bad(exc)
    current = reports.report(span, scope, team=team)
    previous = reports.report(span.previous(), scope, team=team)
    values = current["teams"][team] if team else current["department"]
    before = previous["teams"][team] if team else previous["department"]
    context.update(
        team=team or "",
        values=values,
        tiles=_tiles(values, before, TILES),
        previous_span=span.previous(),
        as_of=reports.as_of_label(current),
    )
    return render(request, "dashboards/dashboard.html", context)


@login_required
def dashboard_plan(request: HttpRequest) -> HttpResponse:
    """Plan fulfilment of the whole months around the period (plans exist only for whole months), loaded by htmx."""
    scope = _scope(request)
    try:
        span = _span(request)
        teams = reports.teams(scope)
        team = _team_choice(request, teams)
    except BadParams as exc:
        return _bad(exc)
    plan_span = _plan_span(span)
    plan_report = reports.report(plan_span, scope, team=team)
    names = {p.ref: p for p in reports.people(scope)}
    plan_rows = [
        {"person": names[ref], "plan": block["plan"]["revenue_won"]}
        for ref, block in plan_report["users"].items()
        if ref in names and "revenue_won" in block["plan"]
    ]
    team_plans = [
        {"team": t, "plan": plan_report["teams"][t.ref]["plan"]["revenue_won"]}
        for t in teams
        if t.ref in plan_report["teams"] and "revenue_won" in plan_report["teams"][t.ref]["plan"]
    ]
    context = {
        "span": span,
        "team": team or "",
        "plan_span": plan_span,
        "plan_rows": sorted(plan_rows, key=lambda row: -(row["plan"]["rate"] or 0)),
        "team_plans": team_plans,
    }
    return render(request, "dashboards/_plan.html", context)


@login_required
def dashboard_charts(request: HttpRequest) -> HttpResponse:
    """The over-time charts, loaded after the page (htmx) so the numbers show first."""
    scope = _scope(request)
    try:
        span = _span(request)
        teams = reports.teams(scope)
        team = _team_choice(request, teams)
    except BadParams as exc:
        return _bad(exc)
    team_id = next((t.pk for t in teams if t.ref == team), None)

    def compute() -> dict[str, Any]:
        engine, owners = reports.engine_for(span, scope)
        if team_id is not None:
            members = {p.id for p in reports.people(scope) if p.team_id == team_id}
            owners = [o for o in (owners if owners is not None else members) if o in members]
        return series(engine, owners, span)

    data = reports.cached("series", span, scope, compute, team)
    if len(data["labels"]) < 2:
        return render(request, "dashboards/_charts.html", {"charts": None, "span": span})
    charts = {
        "sales": {
            "x": data["labels"],
            "traces": [
                {"name": label("revenue_won"), "y": [float(v or 0) for v in data["revenue_won"]], "type": "bar"},
                {"name": label("deals_won"), "y": data["deals_won"], "type": "scatter", "axis": "y2"},
            ],
        },
        "calls": {
            "x": data["labels"],
            "traces": [
                {"name": label("calls_in"), "y": data["calls_in"], "type": "scatter"},
                {"name": label("calls_out"), "y": data["calls_out"], "type": "scatter"},
                {"name": label("calls_in_missed"), "y": data["calls_in_missed"], "type": "scatter"},
            ],
        },
    }
    return render(request, "dashboards/_charts.html", {"charts": charts, "span": span})


def _comparison_table(request: HttpRequest, scope: Scope, span: Span, team: str | None) -> comparison.Table:
    current = reports.report(span, scope, team=team)
    sort = request.GET.get("sort", "revenue_won")
    return comparison.build_table(
        current, reports.people(scope), sort=sort, descending=request.GET.get("dir", "desc") != "asc"
    )


@login_required
def managers(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    try:
        span = _span(request)
        context = _base_context(request, span, scope)
        team = _team_choice(request, context["teams"])
    except BadParams as exc:
        return _bad(exc)
    table = _comparison_table(request, scope, span, team)
    export = request.GET.get("format", "")
    stamp = f"{span.date_from.isoformat()}_{span.date_to.isoformat()}"
    if export == "csv":
        response = HttpResponse(comparison.to_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="managers_{stamp}.csv"'
        return response
    if export == "xlsx":
        response = HttpResponse(
            comparison.to_xlsx(table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="managers_{stamp}.xlsx"'
        return response
    if export:
        return _bad(BadParams(f"format: expected csv or xlsx, got {export!r}"))
    context.update(table=table, team=team or "")
    htmx = getattr(request, "htmx", None)
    template = "dashboards/_table.html" if htmx and htmx.target == "comparison" else "dashboards/managers.html"
    return render(request, template, context)


def _person(scope: Scope, ref: str) -> reports.Person:
    for person in reports.people(scope):
        if person.ref == ref:
            return person
    raise Http404("no such user in your scope")


def _stage_names() -> dict[str, str]:
    return dict(Stage.objects.values_list("ref", "name"))


@login_required
def manager(request: HttpRequest, ref: str) -> HttpResponse:
    scope = _scope(request)
    person = _person(scope, ref)
    try:
        span = _span(request)
    except BadParams as exc:
        return _bad(exc)
    current = reports.report(span, scope, user=ref)["users"][ref]
    previous = reports.report(span.previous(), scope, user=ref)["users"][ref]
    funnel_steps, callbacks, leads = reports.cached(
        "person", span, scope, lambda: _person_items(span, scope, person), ref
    )
    status_labels = {"on_time": _("on time"), "late": _("late"), "missed": _("missed"), "pending": _("pending")}
    order = {"missed": 0, "late": 1, "pending": 2, "on_time": 3}
    listed = sorted(callbacks, key=lambda c: (order.get(c.status, 9), c.due_at))[:CALLBACKS_LISTED]
    slowest = sorted(leads, key=lambda r: (r.delay_s is not None, -(r.delay_s or 0)))[:10]
    funnel = _funnel_rows(funnel_steps)
    stage_names = _stage_names()
    context = {
        "span": span,
        "choices": CHOICES,
        "person": person,
        "tiles": _tiles(current, previous, comparison.COLUMNS),
        "values": current,
        "callbacks": [{"item": c, "status_label": status_labels.get(c.status, c.status)} for c in listed],
        "callbacks_more": len(callbacks) - len(listed),
        "callback_counts": {s: sum(1 for c in callbacks if c.status == s) for s in ("on_time", "late", "missed")},
        "slowest": slowest,
        "funnel": funnel,
        "lost_by_stage": sorted(
            ((stage_names.get(k, k or "—"), k, v) for k, v in current["lost_by_stage"].items()), key=lambda x: -x[2]
        ),
        "lost_by_reason": sorted(current["lost_by_reason"].items(), key=lambda x: -x[1]),
        "heatmap": json.dumps({"z": call_heatmap(person.id, span)}),
    }
    return render(request, "dashboards/manager.html", context)


@login_required
def manager_trends(request: HttpRequest, ref: str) -> HttpResponse:
    scope = _scope(request)
    person = _person(scope, ref)
    try:
        span = _span(request)
    except BadParams as exc:
        return _bad(exc)
    months = recent_months(span.date_to, TREND_MONTHS)
    rows = [{"span": m, "values": reports.report(m, scope, user=ref)["users"][ref]} for m in months]
    chart = {
        "x": [m.date_from.isoformat() for m in months],
        "traces": [
            {"name": label("revenue_won"), "y": [float(r["values"]["revenue_won"] or 0) for r in rows], "type": "bar"},
            {
                "name": label("deals_won"),
                "y": [r["values"]["deals_won"] for r in rows],
                "type": "scatter",
                "axis": "y2",
            },
        ],
    }
    context = {"person": person, "rows": rows, "keys": TREND_METRICS, "chart": chart}
    return render(request, "dashboards/_trends.html", context)


def _person_items(span: Span, scope: Scope, person: reports.Person) -> tuple[dict[str, Any], list[Any], list[Any]]:
    """One engine for a manager's funnel, callbacks and leads (the same items the drill-down lists)."""
    engine, _owners = reports.engine_for(span, scope, sources={"callbacks", "leads"})
    callbacks = engine.items(metric_by_key("callbacks_due", engine.facts.criteria), [person.id])
    leads = engine.items(metric_by_key("leads_new", engine.facts.criteria), [person.id])
    return engine.funnel([person.id]), callbacks, leads


def _funnel_rows(funnel: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    names = dict(Pipeline.objects.values_list("ref", "name"))
    stage_names = _stage_names()
    result = []
    for pipeline_ref, steps in funnel.items():
        rows = []
        first = steps[0]["reached"] if steps else 0
        for index, step in enumerate(steps):
            following = steps[index + 1]["reached"] if index + 1 < len(steps) else None
            rows.append(
                {
                    "stage": stage_names.get(step["stage"], _("Won") if step["stage"] == "won" else step["stage"]),
                    "reached": step["reached"],
                    "of_first": (step["reached"] / first) if first else None,
                    "to_next": (following / step["reached"]) if following is not None and step["reached"] else None,
                    "drop": (step["reached"] - following) if following is not None else None,
                    "number": index + 1,  # the funnel number: open stages 1..k, won k + 1
                }
            )
        result.append({"ref": pipeline_ref, "name": names.get(pipeline_ref, pipeline_ref), "steps": rows})
    return result


@login_required
def funnel(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    people = reports.people(scope)
    try:
        span = _span(request)
        context = _base_context(request, span, scope)
        team = _team_choice(request, context["teams"])
        manager_ref = _choice(request, "manager", [p.ref for p in people])
        source = request.GET.get("source")
    except BadParams as exc:
        return _bad(exc)
    chosen_source = source if source is not None and source != "*" else None

    def compute() -> tuple[dict[str, Any], dict[str, Any]]:
        engine, owners = reports.engine_for(span, scope, source=chosen_source, items=chosen_source is not None)
        chosen = [p.id for p in people if owners is None or p.id in owners]
        if team:
            team_id = next(t.pk for t in context["teams"] if t.ref == team)
            chosen = [p.id for p in people if p.id in chosen and p.team_id == team_id]
        if manager_ref:
            chosen = [p.id for p in people if p.id in chosen and p.ref == manager_ref]
        group: list[int] | None = chosen if (team or manager_ref or owners is not None) else None
        return engine.funnel(group), engine.values(group)

    funnel_steps, values = reports.cached("funnel-page", span, scope, compute, team, manager_ref, chosen_source)
    stage_names = _stage_names()
    context.update(
        people=people,
        team=team or "",
        manager=manager_ref or "",
        source=source if source not in (None, "*") else "*",
        sources=reports.sources(scope),
        funnels=_funnel_rows(funnel_steps),
        values=values,
        lost_by_stage=sorted(
            ((stage_names.get(k, k or "—"), k, v) for k, v in values["lost_by_stage"].items()), key=lambda x: -x[2]
        ),
        lost_by_reason=sorted(values["lost_by_reason"].items(), key=lambda x: -x[1]),
        drill_user=manager_ref or "",
        drill_team=team if team and not manager_ref else "",
    )
    return render(request, "dashboards/funnel.html", context)


@login_required
def records(request: HttpRequest, key: str) -> HttpResponse:
    scope = _scope(request)
    try:
        span = _span(request)
    except BadParams as exc:
        return _bad(exc)
    user = request.GET.get("user") or None
    team = request.GET.get("team") or None
    try:
        rows = reports.records(key, span, scope, user=user, team=team)
    except KeyError:
        raise Http404(f"unknown metric {key!r}") from None
    except PermissionError as exc:
        raise Http404(str(exc)) from exc
    except ValueError as exc:
        return _bad(exc)
    field, wanted = request.GET.get("field", ""), request.GET.get("value", "")
    if field:
        rows = [r for r in rows if str(r.get(field, "")) == wanted]
    pipeline, min_reach = request.GET.get("pipeline", ""), request.GET.get("min_reach", "")
    if pipeline and min_reach.isdigit():  # a funnel step: the leads of the pipeline that reached it
        rows = [r for r in rows if r.get("pipeline") == pipeline and int(r.get("reach") or 0) >= int(min_reach)]
    columns = list(rows[0].keys()) if rows else []
    names = {p.ref: p.name for p in reports.people(scope)}
    context = {
        "key": key,
        "label": label(key),
        "definition": definition(key),
        "span": span,
        "user": user or "",
        "user_name": names.get(user or "", user or ""),
        "team": team or "",
        "field": field,
        "wanted": wanted,
        "columns": columns,
        "rows": [[_cell(c, r.get(c), names) for c in columns] for r in rows[:RECORDS_LIMIT]],
        "count": len(rows),
        "limited": len(rows) > RECORDS_LIMIT,
        "limit": RECORDS_LIMIT,
    }
    return render(request, "dashboards/records.html", context)


def _cell(column: str, value: Any, names: dict[str, str]) -> str:
    if value is None:
        return "—"
    if column == "user":
        return names.get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    if column.endswith("_s") and isinstance(value, int | float):
        return format_value("first_response_median_s", value)
    return str(value)


@login_required
@require_http_methods(["GET", "POST"])
def digest(request: HttpRequest) -> HttpResponse:
    subscription = DigestSubscription.objects.filter(user=cast(User, request.user)).first()
    form = DigestForm(request.POST or None, instance=subscription)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.user = request.user  # type: ignore[assignment]
        saved.save()
        messages.success(request, _("Digest settings saved."))
        return redirect("dashboards:digest")
    return render(request, "dashboards/digest.html", {"form": form, "subscription": subscription})


@lru_cache(maxsize=1)
def _plotly_bytes() -> bytes:
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


@cache_control(public=True, max_age=86400)
def plotly_js(request: HttpRequest) -> HttpResponse:
    """plotly.min.js from the installed plotly package: served locally, never from a CDN."""
    return HttpResponse(_plotly_bytes(), content_type="text/javascript; charset=utf-8")
