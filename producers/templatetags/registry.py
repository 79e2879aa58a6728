"""Registry values as people read them.

    {% load registry %}
    {{ producer.phone|phone }}        → 081-234-5678, 053-123-456 ต่อ 12
    {{ producer.phone|phone_links }}  → each number a tel: link, to call it from a phone
    {{ field|filter_control }}        → a list filter's control with Bootstrap's classes
"""

from django import forms, template
from django.utils.html import format_html_join

from producers.cleaning import format_phone

register = template.Library()


@register.filter
def phone(stored):
    return format_phone(stored)


@register.filter
def phone_links(stored):
    """The grouped numbers, each a tel: link (an extension after a pause: tel:053123456,12).
    A value stored before the rule is shown as text, without a link."""
    shown = format_phone(stored)
    if shown == (stored or ""):
        return shown  # empty, or stored before the rule: text, escaped as any other
    links = []
    for stored_part, shown_part in zip(stored.split(", "), shown.split(", ")):
        number, _space, extension = stored_part.partition(" ต่อ ")
        links.append((number + (f",{extension}" if extension else ""), shown_part))
    return format_html_join(", ", '<a href="tel:{}">{}</a>', links)


@register.filter
def filter_control(field):
    """A list filter's control as crispy-forms draws it (select form-select, textinput
    form-control, is-invalid beside an error), without its templates: the filter form is on
    every registry list page."""
    css = "select form-select" if isinstance(field.field.widget, forms.Select) else "textinput form-control"
    return field.as_widget(attrs={"class": f"{css} is-invalid" if field.errors else css})
