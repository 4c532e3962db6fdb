from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal
from salescope.integrations.models import RawEvent
from salescope.integrations.services import integration_configure

from .conftest import SITE

URL = "/forms/lead/"
GA_ERROR = "expected the _ga cookie (GA1.1.XXXX.YYYY) or a client id XXXX.YYYY"
UTM_ERROR = "not a UTM tag name (utm_ followed by letters, digits, _)"
FORM = {
    "name": "Anna Petrova",
    "phone": "8 (916) 123-45-67",
    "email": "anna@example.ru",
    "comment": "Need a quote",
    "utm_source": "yandex",
    "utm_medium": "cpc",
    "utm_campaign": "brand_msk",
    "utm_term": "crm",
    "utm_content": "ad1",
    "_ga": "GA1.1.1197596843.1673515099",
    "_ym_uid": "1719830400123456789",
    "form_id": "landing-main",
    "page_url": "https://shop.example.ru/?utm_source=yandex",
}


def post_json(body: Any, ip: str = "10.0.0.1", origin: str | None = SITE, **headers: Any) -> Any:
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return Client().post(URL, data=json.dumps(body), content_type="application/json", REMOTE_ADDR=ip, **headers)


def test_a_json_submission_creates_a_contact_a_lead_and_a_note(webform: dict[str, Any], manager: User) -> None:
    response = post_json(FORM)
    assert (response.status_code, response.json()) == (201, {"ok": True})
    assert response["Access-Control-Allow-Origin"] == SITE
    contact = Contact.objects.get()
    assert (contact.name, contact.owner, contact.source, contact.campaign) == (
        "Anna Petrova",
        manager,
        "yandex_direct",
        "brand_msk",
    )
    assert contact.utm == {
        "utm_campaign": "brand_msk",
        "utm_content": "ad1",
        "utm_medium": "cpc",
        "utm_source": "yandex",
        "utm_term": "crm",
    }
    assert (contact.ga_client_id, contact.ym_client_id) == ("1197596843.1673515099", "1719830400123456789")
    assert list(contact.phones.values_list("number", flat=True)) == ["+79161234567"]
    assert list(contact.emails.values_list("address", flat=True)) == ["anna@example.ru"]
    deal = Deal.objects.get()
    assert (deal.contact, deal.owner, deal.title) == (contact, manager, "Web form: landing-main")
    assert Deal.objects.values_list("stage__ref", flat=True).get() == "new"
    note = Activity.objects.get()
    assert (note.kind, note.body, note.contact, note.deal, note.user, note.channel) == (
        "note",
        "Need a quote",
        contact,
        deal,
        manager,
        "web_form",
    )
    assert json.loads(RawEvent.objects.get(status="ok").payload)["page_url"] == FORM["page_url"]


def test_a_form_encoded_submission_works_the_same(webform: dict[str, Any]) -> None:
    response = Client().post(
        URL,
        {"name": "Boris", "phone": "+7 903 555-00-11", "utm_source": "google", "utm_id": "123", "_ga": "GA1.2.55.66"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 201
    contact = Contact.objects.get()
    assert (contact.name, contact.source, contact.ga_client_id) == ("Boris", "google", "55.66")
    assert contact.utm == {"utm_id": "123", "utm_source": "google"}
    assert Activity.objects.count() == 0  # no comment, no note


def test_nested_utm_objects_and_bare_client_ids_are_accepted(webform: dict[str, Any]) -> None:
    body = {
        "phone": "+79035550011",
        "utm": {"source": "vk", "utm_medium": "social"},
        "ga_client_id": "1840213377.1719830400",
        "ym_client_id": "42",
    }
    assert post_json(body).status_code == 201
    contact = Contact.objects.get()
    assert contact.utm == {"utm_medium": "social", "utm_source": "vk"}
    assert (contact.name, contact.ga_client_id, contact.ym_client_id) == ("+79035550011", "1840213377.1719830400", "42")


def test_a_returning_client_gets_a_new_lead_and_their_blanks_filled(webform: dict[str, Any], manager: User) -> None:
    known = contact_create(name="Anna (old)", phones=["+79161234567"], source="seo", owner=manager)
    assert post_json(FORM).status_code == 201
    known.refresh_from_db()
    assert Contact.objects.count() == 1
    assert (known.name, known.source, known.campaign, known.ga_client_id) == (
        "Anna (old)",
        "seo",
        "brand_msk",
        "1197596843.1673515099",
    )
    assert list(known.emails.values_list("address", flat=True)) == ["anna@example.ru"]
    assert Deal.objects.get().contact == known
    assert post_json({**FORM, "comment": "Again"}, ip="10.0.0.9").status_code == 201
    assert Deal.objects.count() == 1  # the lead is still open: no second one
    assert list(Activity.objects.order_by("id").values_list("body", flat=True)) == ["Need a quote", "Again"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "X"}, {"phone": ["give a phone or an e-mail"], "email": ["give a phone or an e-mail"]}),
        ({"phone": "12"}, {"phone": ["not a valid phone number"]}),
        ({"email": "not-an-address"}, {"email": ["not a valid e-mail address"]}),
        ({"email": "a@b.ru", "_ga": "GA1.1.abc"}, {"_ga": [GA_ERROR]}),
        ({"email": "a@b.ru", "_ym_uid": "12ab"}, {"_ym_uid": ["expected the digits of the _ym_uid cookie"]}),
        ({"email": "a@b.ru", "name": ["a"]}, {"name": ["must be text"]}),
        ({"email": "a@b.ru", "utm": "x"}, {"utm": ["must be an object of text values"]}),
        ({"email": "a@b.ru", "utm_Source!": "x"}, {"utm_Source!": [UTM_ERROR]}),
        ({"email": "a@b.ru", "comment": "x" * 5001}, {"comment": ["at most 5000 characters"]}),
    ],
)
def test_bad_input_is_a_400_naming_the_fields(
    webform: dict[str, Any], body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    response = post_json(body)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "errors": errors}
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "content_type", "error"),
    [
        ("{not json", "application/json", "the body is not valid JSON"),
        ("[1, 2]", "application/json", "the JSON body must be an object of fields"),
        ("name=x", "text/plain", "send application/json or a form-encoded body, not text/plain"),
    ],
)
def test_an_unreadable_body_is_a_400(webform: dict[str, Any], data: str, content_type: str, error: str) -> None:
    response = Client().post(URL, data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["errors"]["body"][0].startswith(error)


def test_the_honeypot_is_answered_like_success_and_nothing_is_stored(webform: dict[str, Any]) -> None:
    response = post_json({**FORM, "website": "http://spam.example"})
    assert (response.status_code, response.json()) == (201, {"ok": True})
    assert (Contact.objects.count(), Deal.objects.count(), Activity.objects.count()) == (0, 0, 0)
    assert RawEvent.objects.get().error == "honeypot field filled"


def test_submissions_are_rate_limited_per_ip(webform: dict[str, Any]) -> None:
    statuses = [post_json({"email": f"u{i}@example.ru"}, ip="10.0.0.7").status_code for i in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = post_json({"email": "u9@example.ru"}, ip="10.0.0.7")
    too_many = "too many submissions from this address, try again later"
    assert limited.json() == {"ok": False, "errors": {"__all__": [too_many]}}
    assert 0 < int(limited["Retry-After"]) <= 600
    assert post_json({"email": "other@example.ru"}, ip="10.0.0.8").status_code == 201
    assert Contact.objects.count() == 4


def test_forwarded_for_is_used_only_when_trusted(webform: dict[str, Any]) -> None:
    integration_configure("webform", **{**webform, "rate_limit": 1, "trust_x_forwarded_for": True})
    first = post_json({"email": "a@x.ru"}, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.1")
    second = post_json({"email": "b@x.ru"}, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    third = post_json({"email": "c@x.ru"}, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert (first.status_code, second.status_code, third.status_code) == (201, 201, 429)


def test_cors_preflight_from_a_configured_site(webform: dict[str, Any]) -> None:
    response = Client().options(URL, HTTP_ORIGIN="http://localhost:8080", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "http://localhost:8080"
    assert response["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "Content-Type"


def test_another_site_is_refused(webform: dict[str, Any]) -> None:
    response = post_json(FORM, origin="https://evil.example")
    assert response.status_code == 403
    assert response.json() == {"ok": False, "errors": {"origin": ["https://evil.example is not an allowed site"]}}
    assert "Access-Control-Allow-Origin" not in response
    assert Contact.objects.count() == 0


def test_the_endpoint_is_off_until_configured(manager: User) -> None:
    response = post_json(FORM)
    assert (response.status_code, response.json()["errors"]) == (404, {"__all__": ["web form intake is off"]})


def test_get_is_refused(webform: dict[str, Any]) -> None:
    assert Client().get(URL).status_code == 405


def test_the_snippet_page_shows_code_pointing_at_this_server(webform: dict[str, Any], manager: User) -> None:
    assert Client().get("/forms/snippet/").status_code == 302
    client = Client()
    client.force_login(manager)
    page = client.get("/forms/snippet/").content.decode()
    assert "http://testserver/forms/lead/" in page
    assert "_ym_uid" in page and "utm_" in page and "name=&quot;website&quot;" in page


def test_the_body_the_snippet_sends_is_accepted(webform: dict[str, Any]) -> None:
    # as captured from the snippet running in a browser DOM: untouched inputs arrive as empty strings
    body = {
        "name": "Anna",
        "phone": "8 916 123-45-67",
        "email": "",
        "comment": "",
        "website": "",
        "utm_source": "yandex",
        "utm_campaign": "brand",
        "_ga": "GA1.1.1197596843.1673515099",
        "_ym_uid": "1719830400123456789",
        "page_url": "https://shop.example.ru/landing?utm_source=yandex",
        "referrer": "",
    }
    assert post_json(body).status_code == 201
    contact = Contact.objects.get()
    assert (contact.source, contact.campaign, contact.utm) == (
        "yandex_direct",
        "brand",
        {"utm_campaign": "brand", "utm_source": "yandex"},
    )
    assert (contact.ga_client_id, contact.ym_client_id) == ("1197596843.1673515099", "1719830400123456789")
    assert list(contact.emails.all()) == []
    assert Activity.objects.count() == 0
