from django.apps import AppConfig


class AnalystsConfig(AppConfig):
    name = "childrenmatter.analysts"
    label = "analysts"
    verbose_name = "Analysts"
