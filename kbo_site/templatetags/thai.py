"""Template filters for Buddhist Era dates; loaded as a builtin in every template.

{{ d|be_date }} → 11 มกราคม 2565, {{ d|be_date:"weekday" }} → วันอังคารที่ 11 มกราคม 2565,
{{ d|be_date:"short" }} → 11 ม.ค. 2565, {{ dt|be_datetime }}, {{ t|be_time }} → 09.00,
{{ 2565|thai_digits }} → ๒๕๖๕. Dates follow the reader's language: in English,
11 January 2565 BE (kbo_site.thaidates). {{ text|in_reader_language }} shows a Thai text
the record holds in the reader's language when it is one of the application's own strings
(a state, a role title: kbo_site.i18n).

Names in tables: {{ product.name|nowrap_words }} lets the line break at the name's own spaces
only; {{ producer.name|nowrap }} (people, producers, places) never. Chromium breaks Thai between dictionary words
("เมือง/เชียงใหม่", "วิสาหกิจชุมชนน้ำ/พริกอ่อง"), and CSS word-break: keep-all does not stop it
for Thai; each word goes in a span.kbo-word (white-space: nowrap, static/css/kbo.css).
"""

from django import template
from django.utils.html import format_html, format_html_join

from kbo_site import i18n, thaidates

register = template.Library()


@register.filter
def be_date(value, style=""):
    return thaidates.format_date(value, weekday="weekday" in style, short="short" in style,
                                 language=i18n.reader_language())


@register.filter
def be_datetime(value):
    return thaidates.format_datetime(value, language=i18n.reader_language())


@register.filter
def be_time(value):
    return thaidates.format_time(value, language=i18n.reader_language())


@register.filter
def thai_digits(value):
    return thaidates.thai_digits(value)


@register.filter
def in_reader_language(value):
    return i18n.in_reader_language(value)


@register.filter
def nowrap_words(value):
    if value in (None, ""):
        return ""
    words = format_html_join(" ", '<span class="kbo-word">{}</span>', ((word,) for word in str(value).split()))
    return format_html('<span class="kbo-name">{}</span>', words)


@register.filter
def nowrap(value):
    if value in (None, ""):
        return ""
    return format_html('<span class="kbo-word">{}</span>', " ".join(str(value).split()))
