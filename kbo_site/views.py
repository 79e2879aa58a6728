from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from kbo_site.roles import can_view_registry
from selection.rules import is_committee_member


def home(request):
    """Where a user lands after logging in: the registry for officers, admins and viewers;
    the selection rounds for committee members, who have no registry role."""
    if can_view_registry(request.user):
        return redirect("producers:dashboard")
    if is_committee_member(request.user):
        return redirect("selection:round_list")
    raise PermissionDenied
