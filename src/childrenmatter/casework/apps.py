from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "childrenmatter.casework"
    label = "casework"
    verbose_name = "Casework"
