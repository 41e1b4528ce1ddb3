from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "comms"

    def ready(self) -> None:
        from comms import receivers  # noqa: F401  (connects anymail's tracking signal)
