"""Filters of the registry lists and the export (django-filter).

The same FilterSet serves the page, its htmx table swap and the .xlsx export, so an export
always holds exactly the rows the officer was looking at. Invalid values are ignored (and
shown as form errors), never a 500. Sorting accepts only the whitelisted keys below.

Province scope: the view passes a queryset already cut to the user's province
(producers.roles.scoped). A provincial user's district choices are their province's; a
national user gets a province filter, and the district choices follow the chosen province
(928 districts nationally are too many for one drop-down).

Search at national scale (300,000 products): each text condition is a single-table
`UPPER(column) LIKE UPPER('%…%')`, which PostgreSQL answers from the trigram indexes of
migration 0007; a match on the other table comes in as `id = ANY(ARRAY(subquery))`, which
joins a BitmapOr instead of forcing a scan of every row.
"""

import django_filters
from django import forms
from django.db.models import BooleanField, Count, Exists, Expression, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from producers.roles import is_national, province_code

from .models import Classification, District, Producer, ProducerType, Product, ProductType, Province

UNRATED = "none"
# A national search term held by this many producers (or products) is common: see search().
DENSE_MATCHES = 2000
STAR_CHOICES = [
    (UNRATED, _("Unrated")),
    ("1-3", _("1–3 stars")),
    *[(str(n), f"{n} ★") for n in range(1, 6)],
]


def district_choices(province):
    if not province:
        return []
    return list(District.objects.filter(province_id=province).values_list("code", "name_th"))


def province_choices():
    return list(Province.objects.values_list("code", "name_th"))


def registration_year_choices():
    # The span from the first year to the last: two index look-ups, where a DISTINCT would
    # read every producer.
    years = Producer.objects.aggregate(low=Min("registration_year"), high=Max("registration_year"))
    if years["low"] is None:
        return []
    return [(str(year), str(year)) for year in range(years["high"], years["low"] - 1, -1)]


class InSubquery(Expression):
    """`column = ANY(ARRAY(subquery))` on PostgreSQL, `column IN (subquery)` elsewhere.

    The ARRAY is computed once, before the scan, so the condition can use the column's index
    inside an OR; an `IN (subquery)` there would be checked row by row."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, queryset):
        super().__init__()
        self.column = F(column)
        self.subquery = Subquery(queryset)

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, expressions):
        self.column, self.subquery = expressions

    def as_sql(self, compiler, connection):
        column_sql, column_params = compiler.compile(self.column)
        subquery_sql, subquery_params = compiler.compile(self.subquery)
        if connection.vendor == "postgresql":
            return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)
        return f"{column_sql} IN {subquery_sql}", (*column_params, *subquery_params)


def text_match(value):
    """Name or code contains the value (case-insensitive): each an indexable LIKE."""
    return Q(name__icontains=value) | Q(code__icontains=value)


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


class FilterSelect(forms.Select):
    """A drop-down whose options are written in Python. Django's Select draws each <option>
    through two templates (select_option.html, attrs.html), some 50 µs an option; the filters
    of a list page hold 60 options (140 for a national user) and are drawn on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>',
                                    ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]),
                           mark_safe("".join(groups)))


def choice_filter(label, choices, **kwargs):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=_("All"), widget=FilterSelect,
                                       **kwargs)


class RegistryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    province = choice_filter(_("province"), [])
    district = choice_filter(_("district"), [])
    producer_type = choice_filter(_("producer type"), ProducerType.choices)
    product_type = choice_filter(_("product type"), ProductType.choices, method="product_filter")
    classification = choice_filter(_("classification"), Classification.choices, method="product_filter")
    star = choice_filter(_("OPC star level"), STAR_CHOICES, method="star_filter")
    registration_year = choice_filter(_("registration year (BE)"), registration_year_choices)

    FILTER_NAMES = ("q", "province", "district", "producer_type", "product_type", "classification", "star",
                    "registration_year")

    def __init__(self, data=None, *args, request=None, **kwargs):
        super().__init__(data, *args, request=request, **kwargs)
        user = request.user
        self.national = is_national(user)
        if self.national:
            provinces = province_choices()
            self.filters["province"].extra["choices"] = provinces
            chosen = (data or {}).get("province") or ""
            self.province = chosen if chosen in dict(provinces) else None
        else:
            # The queryset is already the user's province: no province filter to offer.
            del self.filters["province"]
            self.province = province_code(user)
        self.filters["district"].extra["choices"] = district_choices(self.province)
        self.form.fields["q"].widget.attrs.update({
            "placeholder": _("Name or code"), "type": "search", "autocomplete": "off"})
        if self.national:
            # Choosing a province reloads the page, so that the district choices follow it
            # (static/js/filters.js; without JavaScript the Search button does the same).
            self.form.fields["province"].widget.attrs["data-reload-filters"] = ""

    @property
    def active_count(self):
        """How many filters (and the search) are set, shown on the phone's collapsed filter button."""
        if not self.is_bound:
            return 0
        self.form.is_valid()
        return sum(1 for name in self.FILTER_NAMES if self.form.cleaned_data.get(name))

    @property
    def chosen_province(self):
        """The province whose rows the list shows: the user's, or the one a national user chose."""
        return self.province


class ProductFilter(RegistryFilterSet):
    """The product list (the main registry page) and its export."""

    sort = SortFilter(sorts={
        "code": ("code",),
        "name": ("name",),
        "producer": ("producer__name",),
        "province": ("producer__province_id",),
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
        if "province" in self.filters:
            # As the view's province scope: through the province's producers (see views._products).
            self.filters["province"].method = "province_filter"
        self.filters["district"].field_name = "producer__district"
        self.filters["producer_type"].field_name = "producer__producer_type"
        self.filters["registration_year"].field_name = "producer__registration_year"

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if self.province is not None:
            # One province: its few thousand products are reached through their producers, and
            # the condition is checked on each joined row.
            return qs.filter(text_match(value) | Q(producer__name__icontains=value)
                             | Q(producer__code__icontains=value))
        # Every province. A term that few producers hold: their ids, as a list the planner can
        # size, beside the products' own trigram matches. A common term (thousands of producers):
        # the join, whose matches are then dense enough that the page and the capped count stop
        # after a few hundred rows in code order.
        producer_ids = list(Producer.objects.order_by().filter(text_match(value)).values_list(
            "pk", flat=True)[:DENSE_MATCHES])
        if len(producer_ids) < DENSE_MATCHES:
            return qs.filter(text_match(value) | Q(producer_id__in=producer_ids))
        return qs.filter(text_match(value) | Q(producer__name__icontains=value) | Q(producer__code__icontains=value))

    def province_filter(self, qs, name, value):
        return qs.filter(InSubquery("producer_id", Producer.objects.order_by().filter(province_id=value).values("pk")))

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
        "province": ("province_id",),
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
        products = Product.objects.order_by().filter(text_match(value))
        if self.province is not None:
            products = products.filter(producer__province_id=self.province)
            return qs.filter(text_match(value) | InSubquery("pk", products.values("producer_id")))
        # Every province: as the product list (ProductFilter.search), a list of ids for a rare
        # term, a correlated EXISTS, checked row by row in code order, for a common one.
        producer_ids = list(products.values_list("producer_id", flat=True)[:DENSE_MATCHES])
        if len(producer_ids) < DENSE_MATCHES:
            return qs.filter(text_match(value) | Q(pk__in=set(producer_ids)))
        return qs.filter(text_match(value) | Exists(products.filter(producer=OuterRef("pk"))))

    def product_filter(self, qs, name, value):
        return self._has_product(qs, Q(**{name: value}))

    def star_filter(self, qs, name, value):
        return self._has_product(qs, star_q(value))

    @staticmethod
    def with_product_count(queryset):
        # A correlated subquery, not a JOIN + GROUP BY: the page's COUNT(*) then needs
        # neither, and only the 50 rows shown are counted.
        product_count = Product.objects.filter(producer=OuterRef("pk")).order_by().values("producer").annotate(
            n=Count("pk")).values("n")
        return queryset.annotate(product_count=Coalesce(Subquery(product_count), 0))

    def filter_queryset(self, queryset):
        return super().filter_queryset(self.with_product_count(queryset))
