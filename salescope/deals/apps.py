from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "salescope.deals"
    label = "deals"
