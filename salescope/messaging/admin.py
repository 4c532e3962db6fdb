from django.contrib import admin

from .models import TelegramChat


@admin.register(TelegramChat)
class TelegramChatAdmin(admin.ModelAdmin):
    list_display = ["chat_id", "contact", "username", "created_at"]
    search_fields = ["username", "contact__name"]
    raw_id_fields = ["contact"]
