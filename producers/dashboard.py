"""The dashboard's counts and the geometry of its bar charts.

Four queries, whatever the size of the registry: the database counts, Python only adds the
groups up and lays out the bars. The charts are drawn as inline SVG by templates/producers/_bar_chart.html
(no JavaScript, works offline).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .filters import UNRATED, InSubquery
from .models import Classification, District, Producer, ProducerType, Product, ProductType, Province

# Bars use at most this share of the width, leaving room for the number beside them.
BAR_MAX_PERCENT = 78
ROW_HEIGHT = 34


def producers_text(count):
    """2,531 ราย: the registry counts producers in ราย."""
    return ngettext("%(n)s producer", "%(n)s producers", count) % {"n": intcomma(count)}


def products_text(count):
    return ngettext("%(n)s product", "%(n)s products", count) % {"n": intcomma(count)}


@dataclass
class Bar:
    label: str
    value: int
    url: str
    width: str = "0%"  # of the chart's width: the largest bar gets BAR_MAX_PERCENT
    share: float = 0.0  # of the chart's total, for the <title>
    y: int = 0
    title: str = ""


@dataclass
class BarChart:
    key: str
    title: str
    count_text: object  # producers_text or products_text
    bars: list = field(default_factory=list)

    def __post_init__(self):
        largest = max((bar.value for bar in self.bars), default=0)
        total = sum(bar.value for bar in self.bars)
        for index, bar in enumerate(self.bars):
            # A string, so that the template never localises the decimal point.
            bar.width = f"{BAR_MAX_PERCENT * bar.value / largest:.2f}%" if largest else "0%"
            bar.share = round(100 * bar.value / total, 1) if total else 0
            bar.y = index * ROW_HEIGHT
            bar.title = f"{bar.label}: {self.count_text(bar.value)} ({bar.share:g}%)"

    @property
    def total_text(self):
        return self.count_text(sum(bar.value for bar in self.bars))

    @property
    def height(self):
        return len(self.bars) * ROW_HEIGHT


def _list_url(name, **params):
    return f"{reverse(name)}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def _sum_by(rows, index):
    totals = {}
    for row in rows:
        totals[row[index]] = totals.get(row[index], 0) + row[-1]
    return totals


def dashboard_data(*, province=None, national=False):
    """Headline counts and the charts of one province (its code), or of the whole country
    (province None, for national users), from four queries whatever the registry's size:
    the producers grouped by (type, year, place), the products grouped by (type,
    classification, stars), and the place names. Python adds the groups up.

    The place chart is by district within a province, by province for the whole country.
    `empty` says the registry shown has no producer yet (the page then shows a hint to import,
    with the province's name, one more query, instead of the charts).
    `national` says whether the list links must carry the province (only a national user's
    lists have a province filter).
    """
    producer_unit, product_unit = producers_text, products_text
    producers = Producer.objects.order_by()
    products = Product.objects.order_by()
    if province is not None:
        producers = producers.filter(province_id=province)
        # Through the province's producers' ids: an index look-up per producer, where a join
        # on the province reads all 300,000 products of the country.
        products = products.filter(InSubquery("producer_id", producers.values("pk")))
        place_field = "district_id"
        places = list(District.objects.filter(province_id=province).order_by("code").values_list("code", "name_th"))
    else:
        place_field = "province_id"
        places = list(Province.objects.order_by("code").values_list("code", "name_th"))
    # COUNT(*), not COUNT(id): the grouped columns and nothing else, so that PostgreSQL can
    # read the covering indexes of migration 0008 alone.
    producer_groups = list(producers.values_list("producer_type", "registration_year", place_field)
                           .annotate(n=Count("*")))
    product_groups = list(products.values_list("product_type", "classification", "star_level")
                          .annotate(n=Count("*")))
    by_producer_type = _sum_by(producer_groups, 0)
    by_year = _sum_by(producer_groups, 1)
    by_place = _sum_by(producer_groups, 2)
    by_product_type = _sum_by(product_groups, 0)
    by_classification = _sum_by(product_groups, 1)
    by_star = _sum_by(product_groups, 2)

    link_province = province if national else None

    def producer_list(**params):
        return _list_url("producers:producer_list", province=link_province, **params)

    def product_list(**params):
        return _list_url("producers:product_list", province=link_province, **params)

    producer_count = sum(by_producer_type.values())
    product_count = sum(by_product_type.values())
    if province is not None:
        place_chart = BarChart("district", _("Producers by district"), producer_unit, [
            Bar(name, by_place.get(code, 0), producer_list(district=code)) for code, name in places])
    else:
        place_chart = BarChart("province", _("Producers by province"), producer_unit, [
            Bar(name, by_place.get(code, 0), _list_url("producers:producer_list", province=code))
            for code, name in places])
    charts = {
        "place": place_chart,
        "producer_type": BarChart("producer_type", _("Producers by producer type"), producer_unit, [
            Bar(choice.label, by_producer_type.get(choice.value, 0), producer_list(producer_type=choice.value))
            for choice in ProducerType
        ]),
        "registration_year": BarChart("registration_year", _("Producers by registration year (BE)"), producer_unit, [
            Bar(str(year), by_year[year], producer_list(registration_year=year)) for year in sorted(by_year)
        ]),
        "product_type": BarChart("product_type", _("Products by product type"), product_unit, [
            Bar(choice.label, by_product_type.get(choice.value, 0), product_list(product_type=choice.value))
            for choice in ProductType
        ]),
        "classification": BarChart("classification", _("Products by classification"), product_unit, [
            Bar(choice.label, by_classification.get(choice.value, 0), product_list(classification=choice.value))
            for choice in Classification
        ]),
        "star": BarChart("star", _("Products by OPC star level"), product_unit, [
            Bar(_("Unrated"), by_star.get(None, 0), product_list(star=UNRATED)),
            *[Bar(f"{level} ★", by_star.get(level, 0), product_list(star=level)) for level in range(1, 6)],
        ]),
    }
    # An empty registry (a province before its first import) gets a hint, not rows of zero bars.
    empty = producer_count == 0
    province_name = ""
    if empty and province is not None:
        province_name = Province.objects.filter(code=province).values_list("name_th", flat=True).first() or ""
    return {"producer_count": producer_count, "product_count": product_count, "charts": charts,
            "bar_max": f"{BAR_MAX_PERCENT}%", "empty": empty, "empty_province_name": province_name}
