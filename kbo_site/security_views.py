"""Admin pages for login throttling: who is locked out now, lifting a lock-out, and who lifted which."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import DELETION, LogEntry
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kbo_site.roles import is_admin, role_required

RECENT_UNLOCKS = 20


@role_required(is_admin)
def lockout_list(request):
    """Failed logins still inside the cool-off, newest first (those at the limit are locked),
    and the latest unlocks with who made them."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = list(AccessAttempt.objects.filter(attempt_time__gte=since).order_by("-attempt_time"))
    for attempt in attempts:
        attempt.locked = attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
        attempt.unlocks_at = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    # Unlocks are kept in Django's admin log, where deleting an attempt in the admin also lands.
    unlocks = (LogEntry.objects.filter(content_type__app_label="axes", content_type__model="accessattempt",
                                       action_flag=DELETION)
               .select_related("user").order_by("-action_time")[:RECENT_UNLOCKS])
    return render(request, "kbo_site/lockout_list.html", {
        "attempts": attempts,
        "unlocks": unlocks,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    })


@require_POST
@role_required(is_admin)
def lockout_unlock(request, pk):
    """Forget the failed logins of this row's account and of its address; the admin log
    records who did it."""
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    LogEntry.objects.log_actions(request.user.pk, [attempt], DELETION, single_object=True,
                                 change_message=f"{attempt.username} @ {attempt.ip_address}")
    reset(username=attempt.username)
    reset(ip=attempt.ip_address)
    messages.success(request, _("Unlocked account %(username)s and address %(ip)s.") % {
        "username": attempt.username, "ip": attempt.ip_address})
    return redirect("lockout_list")
