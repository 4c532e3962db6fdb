from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "salescope.quality"
    label = "quality"
