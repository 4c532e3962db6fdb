from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "salescope.demo"
    label = "demo"
