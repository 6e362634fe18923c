from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "childrenmatter.frontdoor"
    label = "frontdoor"
    verbose_name = "Front door"
