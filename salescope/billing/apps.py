from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "salescope.billing"
    label = "billing"
