"""A web form submission checked field by field; every problem is reported under the field's name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from salescope.core.phones import InvalidPhone, normalize_phone

UTM_KEY = re.compile(r"^utm_[a-z0-9_]{1,40}$")
GA_COOKIE = re.compile(r"^GA\d+\.\d+\.(\d+\.\d+)$")  # _ga = GA1.1.<random>.<first visit time>
GA_CLIENT_ID = re.compile(r"^\d+\.\d+$")
YM_UID = re.compile(r"^\d{1,30}$")
LIMITS = {
    "name": 300,
    "phone": 50,
    "email": 254,
    "comment": 5000,
    "form_id": 100,
    "page_url": 2000,
    "referrer": 2000,
    "source": 100,
}


@dataclass
class Submission:
    name: str = ""
    phone: str = ""  # E.164
    email: str = ""
    comment: str = ""
    form_id: str = ""
    page_url: str = ""
    referrer: str = ""
    source: str = ""
    utm: dict[str, str] = field(default_factory=dict)
    ga_client_id: str = ""
    ym_client_id: str = ""


class SubmissionInvalid(ValueError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def ga_client_id(value: str) -> str:
    """`GA1.1.1197596843.1673515099` (the `_ga` cookie) or an already bare `1197596843.1673515099`."""
    cookie = GA_COOKIE.match(value)
    if cookie:
        return cookie.group(1)
    if GA_CLIENT_ID.match(value):
        return value
    raise ValueError("expected the _ga cookie (GA1.1.XXXX.YYYY) or a client id XXXX.YYYY")


def _text_fields(data: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            if key != "utm":
                errors.setdefault(key, []).append("must be text")
            continue
        values[key] = str(value).strip()
    for key, limit in LIMITS.items():
        if len(values.get(key, "")) > limit:
            errors.setdefault(key, []).append(f"at most {limit} characters")
    return values


def _utm(data: Mapping[str, Any], values: dict[str, str], errors: dict[str, list[str]]) -> dict[str, str]:
    """utm_* keys at the top level, or an object `utm` with either `utm_source` or `source` style keys."""
    tags = {k: v for k, v in values.items() if k.startswith("utm_")}
    nested = data.get("utm")
    if nested is not None:
        if not isinstance(nested, dict) or not all(isinstance(v, str) for v in nested.values()):
            errors.setdefault("utm", []).append("must be an object of text values")
        else:
            tags.update({(k if k.startswith("utm_") else f"utm_{k}"): v.strip() for k, v in nested.items()})
    for key, value in tags.items():
        if not UTM_KEY.match(key):
            errors.setdefault(key, []).append("not a UTM tag name (utm_ followed by letters, digits, _)")
        elif len(value) > 300:
            errors.setdefault(key, []).append("at most 300 characters")
    return {k: v for k, v in sorted(tags.items()) if v}


def _contacts(values: dict[str, str], errors: dict[str, list[str]]) -> tuple[str, str]:
    phone, email = values.get("phone", ""), values.get("email", "")
    if not phone and not email:
        errors.setdefault("phone", []).append("give a phone or an e-mail")
        errors.setdefault("email", []).append("give a phone or an e-mail")
    if phone:
        try:
            phone = normalize_phone(phone)
        except InvalidPhone:
            errors.setdefault("phone", []).append("not a valid phone number")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append("not a valid e-mail address")
    return phone, email


def _client_ids(values: dict[str, str], errors: dict[str, list[str]]) -> tuple[str, str]:
    ga_key = "_ga" if values.get("_ga") else "ga_client_id"
    ym_key = "_ym_uid" if values.get("_ym_uid") else "ym_client_id"
    ga, ym = values.get(ga_key, ""), values.get(ym_key, "")
    if ga:
        try:
            ga = ga_client_id(ga)
        except ValueError as exc:
            errors.setdefault(ga_key, []).append(str(exc))
    if ym and not YM_UID.match(ym):
        errors.setdefault(ym_key, []).append("expected the digits of the _ym_uid cookie")
    return ga, ym


def submission_parse(data: Mapping[str, Any]) -> Submission:
    """Raise SubmissionInvalid with {field: [messages]} unless every field is acceptable."""
    errors: dict[str, list[str]] = {}
    values = _text_fields(data, errors)
    utm = _utm(data, values, errors)
    phone, email = _contacts(values, errors)
    ga, ym = _client_ids(values, errors)
    if errors:
        raise SubmissionInvalid(errors)
    return Submission(
        name=values.get("name", ""),
        phone=phone,
        email=email,
        comment=values.get("comment", ""),
        form_id=values.get("form_id", ""),
        page_url=values.get("page_url", ""),
        referrer=values.get("referrer", ""),
        source=values.get("source", ""),
        utm=utm,
        ga_client_id=ga,
        ym_client_id=ym,
    )
