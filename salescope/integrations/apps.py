from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "salescope.integrations"
    label = "integrations"
