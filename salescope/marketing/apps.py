from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "salescope.marketing"
    label = "marketing"
