from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "childrenmatter.people"
    label = "people"
    verbose_name = "People"
