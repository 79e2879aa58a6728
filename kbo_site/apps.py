from django.apps import AppConfig


class KboSiteConfig(AppConfig):
    name = "kbo_site"
    verbose_name = "KBO"
