"""The manager's working screens: my day, the deal board, the contact card's quick actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.activities.queries import activity_for_download
from salescope.activities.services import activity_record
from salescope.contacts.models import Contact
from salescope.contacts.queries import contact_card
from salescope.core.errors import ServiceError
from salescope.core.http import safe_next_url
from salescope.core.scope import Scope, scope_for, scoped
from salescope.deals.models import Deal, Pipeline, Stage, StageKind
from salescope.deals.queries import deal_board, deal_for_update, loss_reasons, pipelines_with_stages
from salescope.deals.services import deal_create, deal_move_stage
from salescope.followups.models import Task
from salescope.followups.queries import task_for_update
from salescope.followups.services import callback_schedule, task_complete

from .forms import CallbackForm, DealCreateForm, LogActivityForm, ProposalForm, service_error_to_form
from .myday import FIRST_RESPONSE_SLA_S, month_so_far, my_day


def _scope(request: HttpRequest) -> Scope:
    return scope_for(request.user)  # type: ignore[arg-type]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# My day -------------------------------------------------------------------------------------------------


@login_required
def my_day_page(request: HttpRequest) -> HttpResponse:
    day = my_day(scope=_scope(request))
    return render(request, "web/manager/my_day.html", {"day": day, "sla_s": FIRST_RESPONSE_SLA_S})


@login_required
def my_day_month(request: HttpRequest) -> HttpResponse:
    """ "My month so far against my plan", loaded after the page: the analytics engine takes longest."""
    month = month_so_far(scope=_scope(request), user_ref=_user(request).ref)
    return render(request, "web/manager/_month.html", {"month": month})


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        task = task_for_update(scope=_scope(request), task_id=pk)
    except Task.DoesNotExist as exc:
        raise Http404 from exc
    if task.user_id != _user(request).pk:
        raise Http404  # a head sees the team's tasks but completes only their own
    task_complete(task=task)
    messages.success(request, _("Task marked done."))
    return redirect(safe_next_url(request, reverse("my_day")))


# Deal board ---------------------------------------------------------------------------------------------


def _board_context(request: HttpRequest, pipeline: Pipeline, pipelines: list[Pipeline]) -> dict[str, Any]:
    """The board's columns, each with the options of its cards' "move to" menu (rendered once a column)."""
    stages = list(pipeline.stages.all())
    columns = deal_board(scope=_scope(request), pipeline=pipeline, now=timezone.now())
    return {
        "pipeline": pipeline,
        "pipelines": pipelines,
        "stages": stages,
        "columns": [(column, _move_options(stages, column.stage)) for column in columns],
    }


def _move_options(stages: list[Stage], current: Stage) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((s.pk, " selected" if s.pk == current.pk else "", _("Move to…") if s.pk == current.pk else s) for s in stages),
    )


def _pipeline_of(pipelines: list[Pipeline], pipeline_id: int | None) -> Pipeline:
    if not pipelines:
        raise Http404("no pipelines")
    if pipeline_id is None:
        return pipelines[0]
    for pipeline in pipelines:
        if pipeline.pk == pipeline_id:
            return pipeline
    raise Http404("no such pipeline")


@login_required
def board(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("pipeline", "")
    pipelines = pipelines_with_stages()
    pipeline = _pipeline_of(pipelines, int(raw) if raw.isdigit() else None)
    return render(request, "web/manager/board.html", _board_context(request, pipeline, pipelines))


def _parse_amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(" ", "").replace("\xa0", "").replace(",", ".")) if text.strip() else None
    except InvalidOperation:
        return None


def _move_dialog(request: HttpRequest, deal: Deal, stage: Stage, error: str = "") -> HttpResponse:
    context = {"deal": deal, "stage": stage, "reasons": loss_reasons(), "error": error}
    if _is_htmx(request):
        response = render(request, "web/manager/_move_dialog.html", context)
        return reswap(retarget(response, "#dialog-slot"), "innerHTML")  # type: ignore[return-value]
    pipelines = pipelines_with_stages()
    context |= _board_context(request, _pipeline_of(pipelines, deal.pipeline_id), pipelines)
    return render(request, "web/manager/board.html", context)


def _board_response(request: HttpRequest, deal: Deal) -> HttpResponse:
    if not _is_htmx(request):
        return redirect(f"{reverse('board')}?pipeline={deal.pipeline_id}")
    pipelines = pipelines_with_stages()
    context = _board_context(request, _pipeline_of(pipelines, deal.pipeline_id), pipelines)
    return render(request, "web/manager/_board.html", context | {"clear_dialog": True})


@login_required
@require_POST
def deal_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a card: a lost stage needs a loss reason from the list, a won stage a confirmed amount."""
    try:
        deal = deal_for_update(scope=_scope(request), deal_id=pk)
    except Deal.DoesNotExist as exc:
        raise Http404 from exc
    raw_stage = request.POST.get("stage", "")
    stage = deal.pipeline.stages.filter(pk=int(raw_stage)).first() if raw_stage.isdigit() else None
    if stage is None:
        return HttpResponse(_("stage: not a stage of this deal's pipeline"), status=400)
    if stage.pk == deal.stage_id:
        return _board_response(request, deal)
    reason, amount = None, None
    if stage.kind == StageKind.LOST:
        reason = request.POST.get("loss_reason", "").strip()
        allowed = [r.name for r in loss_reasons()]
        if not reason or (allowed and reason not in allowed):
            return _move_dialog(request, deal, stage, _("Pick a loss reason.") if "loss_reason" in request.POST else "")
    if stage.kind == StageKind.WON:
        if request.POST.get("confirm") != "1":
            return _move_dialog(request, deal, stage)
        amount = _parse_amount(request.POST.get("amount", "")) if "amount" in request.POST else deal.amount
        if amount is None:
            return _move_dialog(request, deal, stage, _("Enter the amount as a number."))
    try:
        deal_move_stage(deal=deal, stage=stage, by=_user(request), loss_reason=reason, amount=amount)
    except ServiceError as exc:
        return _move_dialog(request, deal, stage, str(exc))
    if not _is_htmx(request):
        messages.success(request, _("%(deal)s moved to %(stage)s.") % {"deal": deal, "stage": stage})
    return _board_response(request, deal)


# Contact card quick actions -----------------------------------------------------------------------------


def _card_deals(scope: Scope, contact: Contact) -> Any:
    return scoped(Deal.objects.filter(contact=contact), scope).order_by("-created_at")


def action_forms(scope: Scope, contact: Contact, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The quick-action forms of a contact card (the bound one, with its errors, replaces its blank twin)."""
    deals = _card_deals(scope, contact)
    now = timezone.localtime().replace(second=0, microsecond=0)
    forms: dict[str, Any] = {
        "log_form": LogActivityForm(deals=deals, initial={"started_at": now, "kind": "call", "direction": "out"}),
        "proposal_form": ProposalForm(deals=deals),
        "deal_form": DealCreateForm(),
        "callback_form": CallbackForm(deals=deals, initial={"due_at": now + dt.timedelta(days=1)}),
    }
    return forms | (bound or {})


def _contact_or_404(request: HttpRequest, pk: int) -> Contact:
    try:
        return contact_card(scope=_scope(request), contact_id=pk)
    except Contact.DoesNotExist as exc:
        raise Http404 from exc


def _back_to_card(request: HttpRequest, contact: Contact, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("contact_detail", pk=contact.pk)


def _card_with_errors(request: HttpRequest, contact: Contact, name: str, form: Any) -> HttpResponse:
    from .views import render_contact_card

    return render_contact_card(request, contact, bound={name: form}, status=400)


@login_required
@require_POST
def contact_log(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = LogActivityForm(request.POST, deals=_card_deals(_scope(request), contact))
    if form.is_valid():
        try:
            activity_record(user=_user(request), contact=contact, origin="manual", **form.service_fields())
        except ServiceError as exc:
            service_error_to_form(form, exc.field, exc.message, {"duration_s": "duration_min"})
        else:
            return _back_to_card(request, contact, _("Logged."))
    return _card_with_errors(request, contact, "log_form", form)


@login_required
@require_POST
def contact_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = ProposalForm(request.POST, request.FILES, deals=_card_deals(_scope(request), contact))
    if not form.is_valid():
        return _card_with_errors(request, contact, "proposal_form", form)
    upload = form.cleaned_data["file"]
    activity_record(
        kind="proposal",
        started_at=timezone.now(),
        user=_user(request),
        contact=contact,
        deal=form.cleaned_data.get("deal"),
        direction="out",
        subject=form.cleaned_data["subject"] or upload.name,
        body=form.cleaned_data["body"],
        attachment=upload,
    )
    return _back_to_card(request, contact, _("Proposal sent."))


@login_required
@require_POST
def contact_deal(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = DealCreateForm(request.POST)
    if form.is_valid():
        try:
            deal = deal_create(
                contact=contact,
                owner=_user(request),
                pipeline=form.cleaned_data["pipeline"],
                amount=form.cleaned_data["amount"],
                title=form.cleaned_data["title"],
            )
        except ServiceError as exc:
            service_error_to_form(form, exc.field, exc.message)
        else:
            return _back_to_card(request, contact, _("Deal %(deal)s created.") % {"deal": deal})
    return _card_with_errors(request, contact, "deal_form", form)


@login_required
@require_POST
def contact_callback(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact_or_404(request, pk)
    form = CallbackForm(request.POST, deals=_card_deals(_scope(request), contact))
    if not form.is_valid():
        return _card_with_errors(request, contact, "callback_form", form)
    task = callback_schedule(
        user=_user(request),
        contact=contact,
        due_at=form.cleaned_data["due_at"],
        note=form.cleaned_data["note"],
        deal=form.cleaned_data.get("deal"),
    )
    due = date_format(timezone.localtime(task.due_at), "SHORT_DATETIME_FORMAT")
    return _back_to_card(request, contact, _("Callback scheduled for %(due)s.") % {"due": due})


@login_required
def activity_attachment(request: HttpRequest, pk: int) -> FileResponse:
    """The file sent with an activity, to whoever may see the activity."""
    try:
        activity = activity_for_download(scope=_scope(request), activity_id=pk)
    except Activity.DoesNotExist as exc:
        raise Http404 from exc
    stored = activity.attachment.name or ""
    if not stored or not default_storage.exists(stored):
        raise Http404
    name = stored.rsplit("/", 1)[-1]
    return FileResponse(default_storage.open(stored, "rb"), as_attachment=True, filename=name)
