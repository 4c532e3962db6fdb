"""A web form submission becomes a contact (new or updated), an open lead deal and a note with the comment."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from salescope.activities.services import activity_record
from salescope.contacts.services import contact_fill_blanks
from salescope.integrations.leads import Intake, intake_routing, lead_intake

from .submission import Submission

INTEGRATION = "webform"
CHANNEL = "web_form"


def _source(submission: Submission, config: dict[str, Any]) -> str:
    """The contact's channel: explicit `source`, else utm_source mapped through `source_map`, else the default."""
    if submission.source:
        return submission.source
    utm_source = submission.utm.get("utm_source", "")
    if utm_source:
        mapping = config.get("source_map") or {}
        return str(mapping.get(utm_source, utm_source))[:100]
    return str(config.get("source") or CHANNEL)


@transaction.atomic
def webform_submit(submission: Submission, config: dict[str, Any]) -> Intake:
    source = _source(submission, config)
    title = f"Web form: {submission.form_id}" if submission.form_id else "Web form"
    intake = lead_intake(
        name=submission.name,
        phones=[submission.phone] if submission.phone else [],
        emails=[submission.email] if submission.email else [],
        at=timezone.now(),
        source=source,
        campaign=submission.utm.get("utm_campaign", ""),
        utm=submission.utm,
        ga_client_id=submission.ga_client_id,
        ym_client_id=submission.ym_client_id,
        title=title,
        always_open_deal=True,
        **intake_routing(config),
    )
    if not intake.contact_created:
        contact_fill_blanks(
            intake.contact,
            phones=[submission.phone] if submission.phone else [],
            emails=[submission.email] if submission.email else [],
            ga_client_id=submission.ga_client_id,
            ym_client_id=submission.ym_client_id,
            source=source,
            campaign=submission.utm.get("utm_campaign", ""),
            utm=submission.utm,
        )
    if submission.comment:
        activity_record(
            kind="note",
            started_at=timezone.now(),
            contact=intake.contact,
            deal=intake.deal,
            user=intake.deal.owner if intake.deal else intake.contact.owner,
            channel=CHANNEL,
            origin="",
            subject=title,
            body=submission.comment,
        )
    return intake
