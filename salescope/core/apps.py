from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "salescope.core"
    label = "core"
