"""Admin pages for login throttling: which accounts are slowed or paused now, lifting that,
and who lifted which. A provincial admin sees and lifts only their province's accounts (and,
in the instance's own province, names that are no account); a national admin sees all."""

from dataclasses import dataclass, field
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from producers.roles import NATIONAL, is_admin, province_code, role_required
from kbo_site.actions import Action, log_action
from kbo_site.models import ActionLog
from kbo_site.security import DEVICE_ROW_PREFIX, throttle_for

RECENT_UNLOCKS = 20


def _in_province_of(admin, field_name):
    """A filter on `field_name` (a username) for what `admin` may see: None for everything."""
    code = province_code(admin)
    if code is NATIONAL:
        return None
    users = get_user_model()._default_manager
    here = Q(**{f"{field_name}__in": users.filter(affiliation__province_id=code).values("username")})
    if code == settings.KBO_PROVINCE_CODE:
        # Users without an affiliation work in the instance's own province; a name that is no
        # account belongs to no province, so the instance's own admins watch it.
        here |= Q(**{f"{field_name}__in": users.filter(affiliation__isnull=True).values("username")})
        here |= ~Q(**{f"{field_name}__in": users.values("username")})
    return here


def _visible_attempts(admin):
    attempts = AccessAttempt.objects.all()
    scope = _in_province_of(admin, "username")
    return attempts if scope is None else attempts.filter(scope)


@dataclass
class ThrottledAccount:
    """One account's failed logins in the window, as the lock-out page shows them."""

    username: str
    attempt_pk: int
    last_attempt: datetime
    rows: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    failures: int = 0
    known_device_failures: int = 0
    state: str = "open"  # open, slowed (a delay runs), paused (the hourly cap, for new devices)
    until: datetime = None
    wait_text: str = ""


def _throttled_accounts(attempts, now):
    accounts = {}
    for attempt in attempts:  # newest first
        account = accounts.setdefault(attempt.username, ThrottledAccount(attempt.username, attempt.pk,
                                                                         attempt.attempt_time))
        account.rows.append((attempt.attempt_time, attempt.failures_since_start))
        account.failures += attempt.failures_since_start
        if (attempt.user_agent or "").startswith(DEVICE_ROW_PREFIX):
            account.known_device_failures += attempt.failures_since_start
        if attempt.ip_address and attempt.ip_address not in account.addresses:
            account.addresses.append(attempt.ip_address)
    for account in accounts.values():
        throttle = throttle_for(account.rows, settings.AXES_FAILURE_LIMIT, now)
        if throttle.refused:
            account.state = "paused" if throttle.capped else "slowed"
            account.until = now + throttle.wait
            account.wait_text = throttle.wait_text
    return list(accounts.values())


@role_required(is_admin)
def lockout_list(request):
    """Accounts with failed logins in the window, newest first, with how they are throttled,
    and the latest unlocks with who made them."""
    now = timezone.now()
    attempts = _visible_attempts(request.user).filter(
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME).order_by("-attempt_time")
    # Unlocks are in the one action log, the account's name as the row's note.
    unlocks = ActionLog.objects.filter(action=Action.ACCOUNT_UNLOCKED)
    scope = _in_province_of(request.user, "note")
    if scope is not None:
        unlocks = unlocks.filter(scope)
    return render(request, "kbo_site/lockout_list.html", {
        "accounts": _throttled_accounts(attempts, now),
        "unlocks": unlocks.select_related("actor").order_by("-at", "-pk")[:RECENT_UNLOCKS],
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "free_failures": settings.KBO_LOGIN_FREE_FAILURES,
        "device_limit": settings.KBO_LOGIN_DEVICE_FAILURE_LIMIT,
        "window_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    })


@require_POST
@role_required(is_admin)
def lockout_unlock(request, pk):
    """Forget every failed login of this row's account, from every address and device; the
    action log records who did it. Another province's account answers 404."""
    attempt = get_object_or_404(_visible_attempts(request.user), pk=pk)
    addresses = sorted({a for a in AccessAttempt.objects.filter(username=attempt.username)
                        .values_list("ip_address", flat=True) if a})
    log_action(request.user, attempt, Action.ACCOUNT_UNLOCKED, note=attempt.username or "",
               detail={"addresses": addresses, "unlocked": f"{attempt.username} @ {', '.join(addresses)}"})
    if attempt.username:
        reset(username=attempt.username)
    else:  # axes' reset() with no name would forget everyone's failures
        attempt.delete()
    messages.success(request, _("Unlocked account %(username)s: its failed logins are forgotten.") % {
        "username": attempt.username})
    return redirect("lockout_list")
