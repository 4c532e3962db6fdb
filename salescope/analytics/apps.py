from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "salescope.analytics"
    label = "analytics"
