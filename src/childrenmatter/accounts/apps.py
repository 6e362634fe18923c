from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "childrenmatter.accounts"
    label = "accounts"
    verbose_name = "Accounts"
