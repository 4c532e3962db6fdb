from django.contrib import admin

from .models import MailboxState, MailMessage


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):
    list_display = ["message_id", "thread_root", "activity"]
    search_fields = ["message_id", "thread_root"]
    raw_id_fields = ["activity"]


@admin.register(MailboxState)
class MailboxStateAdmin(admin.ModelAdmin):
    list_display = ["mailbox", "uidvalidity", "last_uid", "polled_at"]
