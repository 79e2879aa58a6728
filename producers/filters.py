"""Filters of the registry lists and the export (django-filter).

The same FilterSet serves the page, its htmx table swap and the .xlsx export, so an export
always holds exactly the rows the officer was looking at. Invalid values are ignored (and
shown as form errors), never a 500. Sorting accepts only the whitelisted keys below.
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import Classification, District, Producer, ProducerType, Product, ProductType

UNRATED = "none"
STAR_CHOICES = [
    (UNRATED, _("Unrated")),
    ("1-3", _("1–3 stars")),
    *[(str(n), f"{n} ★") for n in range(1, 6)],
]


def district_choices():
    return list(District.objects.filter(province_id=settings.KBO_PROVINCE_CODE).values_list("code", "name_th"))


def registration_year_choices():
    years = Producer.objects.order_by("-registration_year").values_list("registration_year", flat=True).distinct()
    return [(str(year), str(year)) for year in years]


def star_q(value, prefix=""):
    if value == UNRATED:
        return Q(**{f"{prefix}star_level__isnull": True})
    if value == "1-3":
        return Q(**{f"{prefix}star_level__in": (1, 2, 3)})
    return Q(**{f"{prefix}star_level": int(value)})


class SortFilter(django_filters.CharFilter):
    """?sort=name or ?sort=-name, limited to a whitelist of keys → order_by expressions."""

    def __init__(self, *args, sorts, default, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)
        self.sorts = sorts
        self.default = default

    def filter(self, qs, value):
        return qs.order_by(*self.ordering(value))

    def ordering(self, value):
        descending = bool(value) and value.startswith("-")
        name = (value or "").lstrip("-")
        if name not in self.sorts:
            name, descending = self.default, False
        expressions = []
        for expression in self.sorts[name]:
            expression = F(expression) if isinstance(expression, str) else expression
            expressions.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        # A unique tie-break keeps pagination stable.
        expressions.append(F("pk").asc())
        return expressions


class RegistryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.ChoiceFilter(label=_("district"), choices=district_choices, empty_label=_("All"))
    producer_type = django_filters.ChoiceFilter(label=_("producer type"), choices=ProducerType.choices,
                                                empty_label=_("All"))
    product_type = django_filters.ChoiceFilter(label=_("product type"), choices=ProductType.choices,
                                               method="product_filter", empty_label=_("All"))
    classification = django_filters.ChoiceFilter(label=_("classification"), choices=Classification.choices,
                                                 method="product_filter", empty_label=_("All"))
    star = django_filters.ChoiceFilter(label=_("OPC star level"), choices=STAR_CHOICES, method="star_filter",
                                       empty_label=_("All"))
    registration_year = django_filters.ChoiceFilter(label=_("registration year (BE)"),
                                                    choices=registration_year_choices, empty_label=_("All"))

    FILTER_NAMES = ("q", "district", "producer_type", "product_type", "classification", "star", "registration_year")

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget.attrs.update({
            "placeholder": _("Name or code"), "type": "search", "autocomplete": "off"})

    @property
    def active_count(self):
        """How many filters (and the search) are set, shown on the phone's collapsed filter button."""
        if not self.is_bound:
            return 0
        self.form.is_valid()
        return sum(1 for name in self.FILTER_NAMES if self.form.cleaned_data.get(name))


class ProductFilter(RegistryFilterSet):
    """The product list (the main registry page) and its export."""

    sort = SortFilter(sorts={
        "code": ("code",),
        "name": ("name",),
        "producer": ("producer__name",),
        "district": ("producer__district_id",),
        "product_type": ("product_type",),
        "classification": ("classification",),
        "star": ("star_level", "star_year"),
        "year": ("producer__registration_year",),
    }, default="code")

    class Meta:
        model = Product
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["district"].field_name = "producer__district"
        self.filters["producer_type"].field_name = "producer__producer_type"
        self.filters["registration_year"].field_name = "producer__registration_year"

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value)
                         | Q(producer__name__icontains=value) | Q(producer__code__icontains=value))

    def product_filter(self, qs, name, value):
        return qs.filter(**{name: value})

    def star_filter(self, qs, name, value):
        return qs.filter(star_q(value))


class ProducerFilter(RegistryFilterSet):
    """The producer list. Product filters keep the producers that have such a product."""

    sort = SortFilter(sorts={
        "code": ("code",),
        "name": ("name",),
        "producer_type": ("producer_type",),
        "district": ("district_id",),
        "year": ("registration_year",),
        "products": ("product_count",),
    }, default="code")

    class Meta:
        model = Producer
        fields = []

    def _has_product(self, qs, condition):
        return qs.filter(Exists(Product.objects.filter(condition, producer=OuterRef("pk"))))

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(code__icontains=value)
                         | Exists(Product.objects.filter(Q(name__icontains=value) | Q(code__icontains=value),
                                                         producer=OuterRef("pk"))))

    def product_filter(self, qs, name, value):
        return self._has_product(qs, Q(**{name: value}))

    def star_filter(self, qs, name, value):
        return self._has_product(qs, star_q(value))

    def filter_queryset(self, queryset):
        # A correlated subquery, not a JOIN + GROUP BY: the page's COUNT(*) then needs
        # neither, and only the 50 rows shown are counted.
        product_count = Product.objects.filter(producer=OuterRef("pk")).order_by().values("producer").annotate(
            n=Count("pk")).values("n")
        return super().filter_queryset(queryset.annotate(
            product_count=Coalesce(Subquery(product_count), 0)))
