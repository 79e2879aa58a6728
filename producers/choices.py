"""The registry's official value lists, apart from the models: the import's columns and the
cleaning functions use them, and the models use those columns (their history leaves out the
personal ones), so they cannot come from models.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The earliest registration or selection year the registry accepts (BE).
EARLIEST_YEAR_BE = 2540


class ProducerType(models.TextChoices):
    """The three official producer types (ประเภทผู้ผลิต)."""

    COMMUNITY_GROUP = "community_group", _("Community producer group")
    SINGLE_OWNER = "single_owner", _("Single-owner community producer")
    SME = "sme", _("SME producer")


class ProductType(models.TextChoices):
    """The five official product types (ประเภทผลิตภัณฑ์)."""

    FOOD = "food", _("Food")
    DRINK = "drink", _("Drink")
    TEXTILE = "textile", _("Textile and clothing")
    DECOR = "decor", _("Household goods, decorations and souvenirs")
    HERBAL = "herbal", _("Non-food herbal products")


class Classification(models.TextChoices):
    """CDD's ABCD product quadrants (กลุ่มผลิตภัณฑ์). Only D's meaning is official."""

    A = "A", _("Group A")
    B = "B", _("Group B")
    C = "C", _("Group C")
    D = "D", _("Group D (adapting to develop)")
