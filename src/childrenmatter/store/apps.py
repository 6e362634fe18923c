from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "childrenmatter.store"
    label = "store"
    verbose_name = "Operational store: loading and extracting the child-level dataset"
