from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self):
        from selection.round_links import provide

        from .round_links import meetings_and_workshops

        provide(meetings_and_workshops)
