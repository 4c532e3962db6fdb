from django.apps import AppConfig


class BundleConfig(AppConfig):
    name = "salescope.bundle"
    label = "bundle"
