from __future__ import annotations

import email
import email.policy
from typing import Any

import pytest
from django.test import Client

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.core.errors import ServiceError
from salescope.integrations.services import integration_configure
from salescope.mail.models import MailMessage
from salescope.mail.services import mail_ingest, mail_send

from .conftest import SmtpServer, free_port, letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(smtp_server: SmtpServer, manager: User) -> SmtpServer:
    integration_configure(
        "mail",
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_security="none",
        from_address="sales@salescope.test",
        owner_ref="kolya",
    )
    return smtp_server


@pytest.fixture
def anna(manager: User) -> Contact:
    return contact_create(name="Anna", emails=["anna@example.ru"], owner=manager, ref="c-anna")


def test_mail_send_delivers_over_smtp_and_logs_the_letter_with_its_message_id(
    smtp: SmtpServer, anna: Contact, manager: User
) -> None:
    activity = mail_send(contact=anna, user=manager, subject="Your quote", body="Attached is the quote.")
    [received] = smtp.letters
    assert (received.mail_from, received.rcpt_tos) == ("sales@salescope.test", ["anna@example.ru"])
    sent = email.message_from_bytes(received.content, policy=email.policy.default)
    assert (sent["Subject"], sent["From"], sent["To"]) == ("Your quote", "sales@salescope.test", "anna@example.ru")
    assert sent.get_content().strip() == "Attached is the quote."
    assert sent["Message-ID"].endswith("@salescope.test>")
    assert (activity.kind, activity.direction, activity.channel, activity.origin) == ("email", "out", "email", "mail")
    assert (activity.external_id, activity.user, activity.contact, activity.subject) == (
        sent["Message-ID"],
        manager,
        anna,
        "Your quote",
    )
    mail = MailMessage.objects.get()
    assert (mail.message_id, mail.thread_root, mail.in_reply_to) == (sent["Message-ID"], sent["Message-ID"], "")


def test_the_clients_answer_to_our_letter_lands_in_our_thread(smtp: SmtpServer, anna: Contact, manager: User) -> None:
    ours = mail_send(contact=anna, user=manager, subject="Your quote", body="See attached.")
    our_id = ours.external_id
    answer = letter(
        "<answer@example.ru>",
        sender="Someone Else <other@example.ru>",
        subject="Re: Your quote",
        in_reply_to=our_id,
        references=our_id,
    )
    ingested = mail_ingest(answer)
    assert ingested.created
    assert ingested.activity.contact == anna
    assert MailMessage.objects.get(message_id="<answer@example.ru>").thread_root == our_id
    assert Contact.objects.count() == 1


def test_a_reply_we_send_carries_in_reply_to_and_references(smtp: SmtpServer, anna: Contact, manager: User) -> None:
    mail_ingest(letter("<q1@example.ru>", sender="anna@example.ru", references="<start@example.ru>"))
    mail_send(contact=anna, user=manager, subject="Re: Quote", body="Here it is.", in_reply_to="<q1@example.ru>")
    sent = email.message_from_bytes(smtp.letters[0].content, policy=email.policy.default)
    assert sent["In-Reply-To"] == "<q1@example.ru>"
    assert sent["References"] == "<start@example.ru> <q1@example.ru>"
    reply = MailMessage.objects.get(message_id=sent["Message-ID"])
    assert (reply.thread_root, reply.in_reply_to) == ("<start@example.ru>", "<q1@example.ru>")


def test_an_smtp_failure_is_a_clear_error_and_nothing_is_logged(manager: User, anna: Contact) -> None:
    integration_configure("mail", smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none")
    with pytest.raises(ServiceError, match="smtp: the letter was not sent"):
        mail_send(contact=anna, user=manager, subject="Hi", body="Hello")
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"subject": " ", "body": "x"}, "subject: a letter needs a subject"),
        ({"subject": "x", "body": ""}, "body: the letter is empty"),
        ({"subject": "x", "body": "y", "in_reply_to": "nonsense"}, "in_reply_to: not a Message-ID"),
    ],
)
def test_bad_letters_are_refused_before_sending(
    smtp: SmtpServer, anna: Contact, manager: User, kwargs: dict[str, Any], error: str
) -> None:
    with pytest.raises(ServiceError, match=error):
        mail_send(contact=anna, user=manager, **kwargs)
    assert smtp.letters == []


def test_a_contact_without_an_address_cannot_be_mailed(smtp: SmtpServer, manager: User) -> None:
    with pytest.raises(ServiceError, match="contact: c-x has no e-mail address"):
        mail_send(contact=contact_create(name="X", ref="c-x"), user=manager, subject="Hi", body="Hello")


def test_the_send_view_is_scoped_and_sends(smtp: SmtpServer, anna: Contact, manager: User) -> None:
    from salescope.accounts.services import user_create

    stranger = Client()
    stranger.force_login(user_create(username="vasya", name="Vasya"))
    assert stranger.post(f"/mail/send/{anna.ref}/", {"subject": "Hi", "body": "Hello"}).status_code == 404
    client = Client()
    client.force_login(manager)
    response = client.post(f"/mail/send/{anna.ref}/", {"subject": "Hi", "body": "Hello"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert len(smtp.letters) == 1
    assert Activity.objects.get().subject == "Hi"
