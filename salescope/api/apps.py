from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "salescope.api"
    label = "api"
