from django.contrib import admin

from .models import Call


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    """What each provider has told us about a call (read-only: calls are written by the integrations)."""

    list_display = (
        "received_at",
        "provider",
        "call_id",
        "direction",
        "client_number",
        "extension",
        "outcome",
        "recording_status",
    )
    list_filter = ("provider", "direction", "outcome", "recording_status")
    search_fields = ("call_id", "client_number", "our_number", "extension")
    date_hierarchy = "received_at"
    readonly_fields = [field.name for field in Call._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
