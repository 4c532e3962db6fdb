from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "salescope.messaging"
    label = "messaging"
