"""Template filters for Buddhist Era dates; loaded as a builtin in every template.

{{ d|be_date }} → 11 มกราคม 2565, {{ d|be_date:"weekday" }} → วันอังคารที่ 11 มกราคม 2565,
{{ d|be_date:"short" }} → 11 ม.ค. 2565, {{ dt|be_datetime }}, {{ t|be_time }} → 09.00,
{{ 2565|thai_digits }} → ๒๕๖๕.
"""

from django import template

from kbo_site import thaidates

register = template.Library()


@register.filter
def be_date(value, style=""):
    return thaidates.format_date(value, weekday="weekday" in style, short="short" in style)


@register.filter
def be_datetime(value):
    return thaidates.format_datetime(value)


@register.filter
def be_time(value):
    return thaidates.format_time(value)


@register.filter
def thai_digits(value):
    return thaidates.thai_digits(value)
