from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from imapclient import IMAPClient

from salescope.accounts.models import User
from salescope.activities.models import Activity
from salescope.contacts.models import Contact
from salescope.contacts.services import contact_create
from salescope.deals.models import Deal
from salescope.integrations.models import Integration, RawEvent
from salescope.integrations.services import integration_configure
from salescope.mail.imap import mailbox_poll
from salescope.mail.models import MailboxState, MailMessage
from salescope.mail.tasks import mail_poll

from .conftest import Dovecot, append, letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(dovecot: Dovecot, manager: User) -> dict[str, Any]:
    config = {**dovecot.new_mailbox(), "owner_ref": "kolya", "source": "email"}
    integration_configure("mail", **config)
    return config


def test_an_unknown_sender_becomes_a_contact_with_a_lead_and_an_inbound_email(
    mailbox: dict[str, Any], manager: User
) -> None:
    append(mailbox, letter("<q1@example.ru>", body="Please send a quote for 20 seats."))
    result = mailbox_poll(mailbox)
    assert (result.fetched, result.stored, result.duplicates, result.rejected) == (1, 1, 0, [])
    contact = Contact.objects.get()
    assert (contact.name, contact.source, contact.owner) == ("Anna Petrova", "email", manager)
    assert list(contact.emails.values_list("address", flat=True)) == ["anna@example.ru"]
    deal = Deal.objects.get()
    assert (deal.contact, deal.title) == (contact, "Quote")
    activity = Activity.objects.get()
    assert (activity.kind, activity.direction, activity.channel, activity.origin, activity.external_id) == (
        "email",
        "in",
        "email",
        "mail",
        "<q1@example.ru>",
    )
    assert (activity.subject, activity.body, activity.contact, activity.deal, activity.user) == (
        "Quote",
        "Please send a quote for 20 seats.",
        contact,
        deal,
        manager,
    )
    assert activity.started_at == dt.datetime(2026, 3, 2, 6, 15, tzinfo=dt.UTC)
    mail = MailMessage.objects.get()
    assert (mail.message_id, mail.thread_root, mail.activity) == ("<q1@example.ru>", "<q1@example.ru>", activity)


def test_a_known_sender_lands_on_their_contact_without_a_new_deal(mailbox: dict[str, Any], manager: User) -> None:
    known = contact_create(name="Anna (known)", emails=["Anna@Example.ru"], owner=manager)
    append(mailbox, letter("<q1@example.ru>"))
    mailbox_poll(mailbox)
    assert Contact.objects.get() == known
    assert Deal.objects.count() == 0
    assert Activity.objects.get().contact == known


def test_polling_again_reads_only_new_letters(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<a@x>"), letter("<b@x>"))
    assert mailbox_poll(mailbox).fetched == 2
    assert mailbox_poll(mailbox).fetched == 0
    append(mailbox, letter("<c@x>"))
    second = mailbox_poll(mailbox)
    assert (second.fetched, second.stored) == (1, 1)
    assert sorted(Activity.objects.values_list("external_id", flat=True)) == ["<a@x>", "<b@x>", "<c@x>"]
    assert MailboxState.objects.get().last_uid == 3


def test_the_same_message_id_twice_in_the_mailbox_is_stored_once(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<dup@x>"), letter("<dup@x>", subject="Quote (resent)"))
    result = mailbox_poll(mailbox)
    assert (result.fetched, result.stored, result.duplicates) == (2, 1, 1)
    assert list(Activity.objects.values_list("subject", flat=True)) == ["Quote"]


def test_a_changed_uidvalidity_rereads_the_folder_without_duplicates(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<a@x>"), letter("<b@x>"))
    mailbox_poll(mailbox)
    MailboxState.objects.update(uidvalidity=1)  # as if the server had rebuilt the folder
    result = mailbox_poll(mailbox)
    assert (result.fetched, result.stored, result.duplicates) == (2, 0, 2)
    assert Activity.objects.count() == 2


def test_a_reply_joins_the_thread_and_the_contact_even_from_another_address(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<root@example.ru>"))
    mailbox_poll(mailbox)
    anna = Contact.objects.get()
    append(
        mailbox,
        letter(
            "<r1@example.ru>",
            sender="Boss <boss@example.ru>",
            subject="Re: Quote",
            in_reply_to="<root@example.ru>",
            references="<root@example.ru>",
        ),
        letter(
            "<r2@example.ru>",
            sender="anna@example.ru",
            subject="Re: Re: Quote",
            references="<root@example.ru> <r1@example.ru>",
        ),
    )
    mailbox_poll(mailbox)
    assert Contact.objects.count() == 1
    assert Deal.objects.count() == 1
    threads = dict(MailMessage.objects.values_list("message_id", "thread_root"))
    assert threads == {
        "<root@example.ru>": "<root@example.ru>",
        "<r1@example.ru>": "<root@example.ru>",
        "<r2@example.ru>": "<root@example.ru>",
    }
    assert set(Activity.objects.values_list("contact", flat=True)) == {anna.pk}
    r1 = MailMessage.objects.get(message_id="<r1@example.ru>")
    assert (r1.in_reply_to, r1.references) == ("<root@example.ru>", "<root@example.ru>")


def test_a_reply_to_an_unknown_letter_starts_its_thread_at_the_oldest_reference(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<r5@x>", references="<old1@x> <old2@x>", in_reply_to="<old2@x>"))
    mailbox_poll(mailbox)
    assert MailMessage.objects.get().thread_root == "<old1@x>"


def test_an_unreadable_letter_is_kept_as_rejected_and_the_poll_goes_on(mailbox: dict[str, Any]) -> None:
    append(mailbox, b"Subject: no sender\r\nMessage-ID: <ns@x>\r\n\r\nhello\r\n", letter("<ok@x>"))
    result = mailbox_poll(mailbox)
    assert (result.fetched, result.stored, result.rejected) == (2, 1, ["From: the letter has no sender address"])
    event = RawEvent.objects.get()
    assert (event.integration, event.status) == ("mail", "rejected")
    assert event.error == "From: the letter has no sender address"
    assert "Message-ID: <ns@x>" in event.payload
    assert mailbox_poll(mailbox).fetched == 0  # not read again


def test_a_letter_without_message_id_is_still_deduplicated(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter(None))
    mailbox_poll(mailbox)
    MailboxState.objects.update(last_uid=0)
    assert mailbox_poll(mailbox).duplicates == 1
    assert MailMessage.objects.get().message_id.endswith("@no-message-id.salescope>")


def test_polling_leaves_the_letters_unread(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<a@x>"))
    with IMAPClient("127.0.0.1", port=mailbox["imap_port"], ssl=False) as client:
        client.login(mailbox["imap_username"], mailbox["imap_password"])
        client.select_folder("INBOX")
        client.remove_flags(client.search("ALL"), [b"\\Seen"])
    mailbox_poll(mailbox)
    with IMAPClient("127.0.0.1", port=mailbox["imap_port"], ssl=False) as client:
        client.login(mailbox["imap_username"], mailbox["imap_password"])
        client.select_folder("INBOX", readonly=True)
        assert client.search(["UNSEEN"]) != []


def test_the_periodic_task_polls_the_configured_mailbox(mailbox: dict[str, Any]) -> None:
    append(mailbox, letter("<task@x>"))
    result = mail_poll.call_local()
    assert (result.fetched, result.stored) == (1, 1)
    assert Integration.objects.get(key="mail").events_received == 1


def test_the_periodic_task_records_a_server_failure(mailbox: dict[str, Any], dovecot: Dovecot) -> None:
    integration_configure("mail", **{**mailbox, "imap_password": "wrong"})
    assert mail_poll.call_local() is None
    status = Integration.objects.get(key="mail")
    assert status.last_error.startswith("IMAP poll failed:")
    assert Activity.objects.count() == 0


def test_the_periodic_task_does_nothing_when_mail_is_off(db: None) -> None:
    assert mail_poll.call_local() is None
    integration_configure("mail", from_address="sales@salescope.test")  # SMTP only
    assert mail_poll.call_local() is None


def test_the_mail_poll_command_reports_what_it_read(mailbox: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    append(mailbox, letter("<cmd@x>"), b"Subject: no sender\r\n\r\nx\r\n")
    out = StringIO()
    call_command("mail_poll", stdout=out)
    assert out.getvalue() == (
        "read 2 letter(s): 1 stored, 0 already known, 1 rejected\nrejected: From: the letter has no sender address\n"
    )
    integration_configure("mail", **{**mailbox, "imap_password": "wrong"})
    with pytest.raises(CommandError, match="IMAP poll failed: .*AUTHENTICATIONFAILED"):
        call_command("mail_poll")
