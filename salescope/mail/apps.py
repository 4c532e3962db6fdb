from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "salescope.mail"
    label = "mail"
