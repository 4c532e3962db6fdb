from django.apps import AppConfig


class WebformsConfig(AppConfig):
    name = "salescope.webforms"
    label = "webforms"
