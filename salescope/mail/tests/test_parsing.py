from __future__ import annotations

import datetime as dt

import pytest

from salescope.mail.parsing import MailParseError, mail_parse, message_ids


def test_encoded_headers_and_an_html_only_body_are_read() -> None:
    raw = (
        b"From: =?utf-8?b?0JDQvdC90LA=?= <Anna@Example.RU>\r\n"
        b"Subject: =?utf-8?q?=D0=A1=D1=87=D1=91=D1=82?=\r\n"
        b"Message-ID:\r\n <long.id@example.ru>\r\n"
        b"Date: Mon, 02 Mar 2026 09:15:00 +0300\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<p>Hello &amp; <b>welcome</b></p>\r\n"
    )
    parsed = mail_parse(raw)
    assert (parsed.from_name, parsed.from_address, parsed.subject) == ("Анна", "anna@example.ru", "Счёт")
    assert (parsed.message_id, parsed.body) == ("<long.id@example.ru>", "Hello & welcome")
    assert parsed.sent_at == dt.datetime(2026, 3, 2, 6, 15, tzinfo=dt.UTC)


def test_a_multipart_letter_keeps_the_plain_text_part() -> None:
    raw = (
        b"From: a@x.ru\r\nMessage-ID: <m@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain text\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML</p>\r\n--b--\r\n"
    )
    assert mail_parse(raw).body == "Plain text"


def test_a_missing_or_broken_date_leaves_the_time_open() -> None:
    assert mail_parse(b"From: a@x.ru\r\nDate: yesterday\r\n\r\nx").sent_at is None


def test_no_sender_is_an_error_naming_the_header() -> None:
    with pytest.raises(MailParseError, match="From: the letter has no sender address"):
        mail_parse(b"Subject: hi\r\n\r\nbody")


def test_message_ids_are_read_in_order() -> None:
    assert message_ids("<a@x> junk <b@y>\r\n <c@z>") == ["<a@x>", "<b@y>", "<c@z>"]
    assert message_ids("no ids here") == []
