from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "salescope.activities"
    label = "activities"
