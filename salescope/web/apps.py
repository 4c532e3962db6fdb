from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "salescope.web"
    label = "web"
