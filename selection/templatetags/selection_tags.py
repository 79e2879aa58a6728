"""Template helpers for the selection pages: the viewer's access to a round and number formats."""

from django import template
from django.utils.translation import gettext_lazy as _

from selection import rules

register = template.Library()

STATUS_LABELS = {"selected": _("Selected"), "reserve": _("Reserve"), "not_selected": _("Not selected")}
STATUS_CLASSES = {"selected": "text-bg-success", "reserve": "text-bg-warning", "not_selected": "text-bg-light border"}


class RoundAccess:
    def __init__(self, user, round):
        self.member = rules.membership(user, round)
        self.manager = rules.can_manage_rounds(user)
        self.chair = rules.is_chair(user, round)
        self.scorer = rules.can_score(user, round)
        self.projector = rules.can_project_results(user, round)
        self.can_open_scoring = rules.can_open_scoring(user, round)
        self.follower = rules.can_follow_scoring(user, round)


@register.simple_tag(takes_context=True)
def round_access(context, round):
    """{% round_access round as access %}: what the current user may do in the round."""
    return RoundAccess(context["request"].user, round)


@register.filter
def score(value, places=2):
    """78.5 → 78.50; None → –."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.{int(places)}f}"


@register.filter
def status_label(status):
    return STATUS_LABELS.get(status, status)


@register.filter
def status_class(status):
    return STATUS_CLASSES.get(status, "")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def on_committee(context):
    """{% on_committee as flag %}: whether the current user sits on a committee (for the menu)."""
    request = context.get("request")
    return bool(request and rules.is_committee_member(request.user))


@register.simple_tag(takes_context=True)
def mentors_any(context):
    """{% mentors_any as flag %}: whether the current user mentors a product's development."""
    request = context.get("request")
    return bool(request and rules.mentored_records(request.user))
