"""The dashboard's counts and the geometry of its bar charts.

Six grouped queries, whatever the size of the registry: the database counts, Python only
lays out the bars. The charts are drawn as inline SVG by templates/producers/_bar_chart.html
(no JavaScript, works offline).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .filters import UNRATED
from .models import Classification, District, Producer, ProducerType, Product, ProductType

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
    return f"{reverse(name)}?{urlencode(params)}"


def dashboard_data():
    """Headline counts and the charts, from six grouped queries."""
    province_code = settings.KBO_PROVINCE_CODE
    producer_unit, product_unit = producers_text, products_text

    by_producer_type = dict(Producer.objects.order_by().values_list("producer_type").annotate(n=Count("id")))
    by_year = dict(Producer.objects.order_by().values_list("registration_year").annotate(n=Count("id")))
    districts = list(
        District.objects.filter(province_id=province_code)
        .annotate(producer_count=Count("producers"))
        .order_by("code")
        .values_list("code", "name_th", "producer_count")
    )
    by_product_type = dict(Product.objects.order_by().values_list("product_type").annotate(n=Count("id")))
    by_classification = dict(Product.objects.order_by().values_list("classification").annotate(n=Count("id")))
    by_star = dict(Product.objects.order_by().values_list("star_level").annotate(n=Count("id")))

    producer_count = sum(by_producer_type.values())
    product_count = sum(by_product_type.values())
    charts = {
        "district": BarChart("district", _("Producers by district"), producer_unit, [
            Bar(name, n, _list_url("producers:producer_list", district=code)) for code, name, n in districts
        ]),
        "producer_type": BarChart("producer_type", _("Producers by producer type"), producer_unit, [
            Bar(choice.label, by_producer_type.get(choice.value, 0),
                _list_url("producers:producer_list", producer_type=choice.value)) for choice in ProducerType
        ]),
        "registration_year": BarChart("registration_year", _("Producers by registration year (BE)"), producer_unit, [
            Bar(str(year), by_year[year], _list_url("producers:producer_list", registration_year=year))
            for year in sorted(by_year)
        ]),
        "product_type": BarChart("product_type", _("Products by product type"), product_unit, [
            Bar(choice.label, by_product_type.get(choice.value, 0),
                _list_url("producers:product_list", product_type=choice.value)) for choice in ProductType
        ]),
        "classification": BarChart("classification", _("Products by classification"), product_unit, [
            Bar(choice.label, by_classification.get(choice.value, 0),
                _list_url("producers:product_list", classification=choice.value)) for choice in Classification
        ]),
        "star": BarChart("star", _("Products by OPC star level"), product_unit, [
            Bar(_("Unrated"), by_star.get(None, 0), _list_url("producers:product_list", star=UNRATED)),
            *[Bar(f"{level} ★", by_star.get(level, 0), _list_url("producers:product_list", star=level))
              for level in range(1, 6)],
        ]),
    }
    return {"producer_count": producer_count, "product_count": product_count, "charts": charts,
            "bar_max": f"{BAR_MAX_PERCENT}%"}
