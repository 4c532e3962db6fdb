from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "salescope.telephony"
    label = "telephony"
    verbose_name = _("telephony")

    def ready(self) -> None:
        from .lookups import connect_invalidation

        connect_invalidation()
