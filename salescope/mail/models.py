from django.db import models
from django.utils.translation import gettext_lazy as _


class MailMessage(models.Model):
    """The RFC 5322 identity of an e-mail activity: its Message-ID and the conversation it belongs to."""

    activity = models.OneToOneField(
        "activities.Activity", verbose_name=_("activity"), on_delete=models.CASCADE, related_name="mail"
    )
    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=998, blank=True)
    references = models.TextField(_("References"), blank=True)
    thread_root = models.CharField(_("conversation"), max_length=998, db_index=True)

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")

    def __str__(self) -> str:
        return self.message_id


class MailboxState(models.Model):
    """How far an IMAP folder has been read (RFC 3501 UIDVALIDITY + last seen UID)."""

    mailbox = models.CharField(_("mailbox"), max_length=500, unique=True)
    uidvalidity = models.BigIntegerField(_("UIDVALIDITY"), null=True, blank=True)
    last_uid = models.BigIntegerField(_("last UID read"), default=0)
    polled_at = models.DateTimeField(_("last polled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailbox state")
        verbose_name_plural = _("mailbox states")

    def __str__(self) -> str:
        return self.mailbox
