from django.apps import AppConfig


class DjbizConfig(AppConfig):
    """The project package: shared helpers only, no models."""

    name = "djbiz"

    def ready(self) -> None:
        from djbiz import task_logging

        task_logging.connect()
