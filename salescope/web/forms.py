"""Forms of the manager's quick actions; every write still goes through a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from salescope.deals.models import Deal, Pipeline

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A browser `datetime-local` input, read in the department's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=[LOCAL_INPUT, "%Y-%m-%d %H:%M"], **kwargs)


class _DealChoice(forms.Form):
    deal = forms.ModelChoiceField(queryset=Deal.objects.none(), required=False, label=_("Deal"), empty_label="—")

    def __init__(self, *args: Any, deals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if deals is not None:
            self.fields["deal"].queryset = deals  # type: ignore[attr-defined]


class LogActivityForm(_DealChoice):
    KINDS = [("call", _("Call")), ("message", _("Message")), ("note", _("Note"))]
    kind = forms.ChoiceField(choices=KINDS, label=_("What"))
    direction = forms.ChoiceField(
        choices=[("out", _("outbound")), ("in", _("inbound"))], required=False, label=_("Direction")
    )
    status = forms.ChoiceField(
        choices=[("answered", _("answered")), ("missed", _("missed"))], required=False, label=_("Call result")
    )
    duration_min = forms.IntegerField(min_value=0, required=False, label=_("Talk time, min"))
    started_at = LocalDateTimeField(label=_("When"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Text"))
    field_order = ["kind", "direction", "status", "duration_min", "started_at", "deal", "body"]

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values in the terms of activity_record (a note has no direction, only calls a status)."""
        data = self.cleaned_data
        kind = data["kind"]
        minutes = data.get("duration_min")
        return {
            "kind": kind,
            "direction": "" if kind == "note" else data.get("direction") or "",
            "status": (data.get("status") or "") if kind == "call" else "",
            "duration_s": minutes * 60 if kind == "call" and minutes is not None else None,
            "started_at": data["started_at"],
            "body": data.get("body") or "",
            "deal": data.get("deal"),
        }


class ProposalForm(_DealChoice):
    file = forms.FileField(label=_("File"))
    subject = forms.CharField(max_length=500, required=False, label=_("Subject"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Comment"))
    field_order = ["file", "subject", "deal", "body"]


class DealCreateForm(forms.Form):
    pipeline = forms.ModelChoiceField(queryset=Pipeline.objects.order_by("id"), label=_("Pipeline"))
    title = forms.CharField(max_length=300, required=False, label=_("Title"))
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, label=_("Amount"))


class CallbackForm(_DealChoice):
    due_at = LocalDateTimeField(label=_("Call back at"))
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("What to discuss"))
    field_order = ["due_at", "deal", "note"]

    def clean_due_at(self) -> Any:
        due = self.cleaned_data["due_at"]
        if due <= timezone.now():
            raise forms.ValidationError(_("Pick a time in the future."))
        return due


def service_error_to_form(form: forms.Form, field: str, message: str, aliases: dict[str, str] | None = None) -> None:
    """Show a service's (field, message) error on the form field it is about (or on the whole form)."""
    name = (aliases or {}).get(field, field)
    form.add_error(name if name in form.fields else None, f"{field}: {message}" if name not in form.fields else message)
