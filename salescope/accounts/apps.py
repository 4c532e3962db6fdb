from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "salescope.accounts"
    label = "accounts"
