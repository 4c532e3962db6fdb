from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "salescope.contacts"
    label = "contacts"
