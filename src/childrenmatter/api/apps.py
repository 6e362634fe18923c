from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "childrenmatter.api"
    label = "api"
    verbose_name = "Partner API"
