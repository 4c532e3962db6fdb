from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "salescope.followups"
    label = "followups"
