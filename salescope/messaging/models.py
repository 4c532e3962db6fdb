from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TelegramChat(models.Model):
    """A Telegram chat with the bot and the contact it belongs to."""

    chat_id = models.BigIntegerField(_("chat id"), unique=True)
    contact = models.ForeignKey(
        "contacts.Contact", verbose_name=_("contact"), on_delete=models.CASCADE, related_name="telegram_chats"
    )
    username = models.CharField(_("Telegram username"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("first message at"), default=timezone.now)

    class Meta:
        verbose_name = _("Telegram chat")
        verbose_name_plural = _("Telegram chats")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.chat_id)


class TelegramUpdate(models.Model):
    """An update the bot has processed: Telegram re-sends an update until it gets a 2xx."""

    update_id = models.BigIntegerField(_("update id"), unique=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Telegram update")
        verbose_name_plural = _("Telegram updates")

    def __str__(self) -> str:
        return str(self.update_id)
