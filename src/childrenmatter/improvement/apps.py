from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "childrenmatter.improvement"
    label = "improvement"
    verbose_name = "Improvement plans and councillors' questions"
