from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "childrenmatter.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
