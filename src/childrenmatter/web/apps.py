from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "childrenmatter.web"
    label = "web"
