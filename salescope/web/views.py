"""The web shell: thin views over the query modules, every read in the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render

from salescope.activities.queries import contact_timeline, parse_cursor
from salescope.contacts.models import Contact
from salescope.contacts.queries import contact_card, contact_list
from salescope.core.scope import Scope, scope_for
from salescope.deals.models import Deal
from salescope.deals.queries import deal_detail, deal_list, deal_owner_choices, pipelines_with_stages

PAGE_SIZE = 25


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)  # type: ignore[arg-type]


def _page(request: HttpRequest, queryset: QuerySet[Contact] | QuerySet[Deal]) -> Page:  # type: ignore[type-arg]
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def _wants_results_only(request: HttpRequest) -> bool:
    """An htmx request that replaces only the results block (search, filters, pagination)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == "results")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A manager starts the day on "My day"; a head or an admin on the department dashboard."""
    if getattr(request.user, "role", "") == "manager":
        return redirect("my_day")
    return redirect("dashboards:dashboard")


@login_required
def contacts(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    page = _page(request, contact_list(scope=_scope(request), search=search))
    template = "web/contacts/_results.html" if _wants_results_only(request) else "web/contacts/list.html"
    return render(request, template, {"page": page, "search": search})


@login_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact card; `?before=<cursor>` reads an earlier page of its timeline."""
    scope = _scope(request)
    try:
        before = parse_cursor(request.GET["before"]) if request.GET.get("before") else None
    except ValueError as exc:
        return HttpResponseBadRequest(f"before: {exc}")
    try:
        card = contact_card(scope=scope, contact_id=pk)
    except Contact.DoesNotExist as exc:
        raise Http404 from exc
    htmx = getattr(request, "htmx", None)
    if htmx and before is not None:
        timeline = contact_timeline(scope=scope, contact=card, before=before)
        return render(request, "web/contacts/_timeline_entries.html", {"contact": card, "timeline": timeline})
    return render_contact_card(request, card)


def render_contact_card(
    request: HttpRequest, card: Contact, bound: dict[str, object] | None = None, status: int = 200
) -> HttpResponse:
    """The whole card: facts, quick actions (a bound form shows its errors) and the latest timeline page."""
    from .manager import action_forms

    scope = _scope(request)
    context = {"contact": card, "timeline": contact_timeline(scope=scope, contact=card)}
    context |= action_forms(scope, card, bound)
    return render(request, "web/contacts/detail.html", context, status=status)


@login_required
def deals(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    filters = {
        "pipeline_id": _int_param(request, "pipeline"),
        "stage_id": _int_param(request, "stage"),
        "owner_id": _int_param(request, "owner"),
    }
    page = _page(request, deal_list(scope=scope, **filters))
    context = {"page": page, "filters": filters}
    if _wants_results_only(request):
        return render(request, "web/deals/_results.html", context)
    context |= {"pipelines": pipelines_with_stages(), "owners": deal_owner_choices(scope=scope)}
    return render(request, "web/deals/list.html", context)


@login_required
def deal(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = deal_detail(scope=_scope(request), deal_id=pk)
    except Deal.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "web/deals/detail.html", {"deal": found})
