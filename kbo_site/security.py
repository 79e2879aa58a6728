"""Logins: the throttle on failed logins (django-axes with our handler), the address a request
comes from, the known-device cookie, and the page a refused login gets.

How failed logins are throttled, and why (issue 10):

- Failures count against the ACCOUNT, from every address. They are axes' AccessAttempt rows
  (one per account × address × device), summed over the window (AXES_COOLOFF_TIME, an hour;
  a row is forgotten an hour after its last failure). There is no rule per address: an office
  behind one NAT address is never locked out by one officer's typos, and a guesser has many
  addresses anyway.
- After KBO_LOGIN_FREE_FAILURES (3) failures the account is slowed, not locked: the next try
  is heard only after a delay that doubles with each failure (15 s, 30 s, 1 min, ... at most
  15 min). A try made during the delay is refused without checking the password: it is no
  guess, is not counted, and does not lengthen the delay.
- At AXES_FAILURE_LIMIT (10) failures in the window, tries from devices never used for the
  account are refused until enough failures are an hour old. So no guesser gets more than 10
  tries per account per hour, however they mix addresses, accounts and successes.
- A device on which the account logged in before is exempt from the account-wide delay and
  cap, so the chair at her own laptop or phone gets in while someone hammers her account. The
  device carries a signed cookie with a random device id and, per account, a tag bound to the
  device, the account and its password hash (so the cookie names no account, can't be moved
  to another account, and a password change forgets every device). Such a device has its own
  small budget (KBO_LOGIN_DEVICE_FAILURE_LIMIT, 5, with the same delays), so a guesser at her
  laptop is bounded too; its failures also count against the account.
- A success clears nothing that counts against the account: it takes back its own try, and on
  a known device it forgives that device's typos. Logging into one's own account therefore
  never buys tries on another (the red team's hole: AXES_RESET_ON_SUCCESS cleared the whole
  address), and the owner's success never buys the guesser tries on hers.
- Each try is counted BEFORE the password is checked, under a lock on the account (a row lock
  on PostgreSQL; SQLite's write lock), and taken back on success: parallel requests cannot
  all slip under the limit.
- Admins see and lift the throttle of their province's accounts (security_views).

Axes alone did not do this: its counts reset by the success's lock-out parameters, it has no
growing delay and no notion of a device, and it checks before the password and records after.
So axes keeps the records, the admin, the reset utilities and the lock-out plumbing, and our
handler and backend decide.
"""

import hashlib
import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_query_str
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

DEVICE_COOKIE = "kbo_device"
DEVICE_SALT = "kbo_site.security.known_device"
# A known device's failures are stored with this in AccessAttempt.user_agent, so that they
# form a bucket of their own whatever address the device comes from.
DEVICE_ROW_PREFIX = "kbo-device:"
ACCOUNTS_PER_DEVICE = 10


@dataclass(frozen=True)
class Throttle:
    """Where one account (or one known device of it) stands: the failures counted in the
    window, the limit they count against, and how long until the next try is heard."""

    failures: int
    limit: int
    wait: timedelta
    known_device: bool

    @property
    def refused(self):
        return self.wait > timedelta(0)

    @property
    def capped(self):
        return self.failures >= self.limit

    @property
    def wait_seconds(self):
        return math.ceil(self.wait.total_seconds())

    @property
    def wait_text(self):
        return wait_text(self.wait)

    @property
    def window_minutes(self):
        return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def wait_text(wait):
    """A wait as a person reads it: seconds below two minutes, whole minutes (rounded up) above."""
    seconds = max(math.ceil(wait.total_seconds()), 1)
    if seconds < 120:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def delay_after(failures):
    """The pause before the next try after `failures` failures: none for the first free ones,
    then KBO_LOGIN_FIRST_DELAY doubling with each failure, at most KBO_LOGIN_MAX_DELAY."""
    extra = failures - settings.KBO_LOGIN_FREE_FAILURES
    if extra < 0:
        return timedelta(0)
    return min(settings.KBO_LOGIN_FIRST_DELAY * 2 ** min(extra, 30), settings.KBO_LOGIN_MAX_DELAY)


def throttle_for(rows, limit, now, *, known_device=False):
    """The throttle from the counting rows: (time of the row's last failure, failures) each.
    Below the limit, the delay runs from the last failure; at the limit, tries wait until
    enough rows are a window old to bring the count under it (and any delay after that)."""
    rows = sorted(rows)
    failures = sum(count for _, count in rows)
    if not rows:
        return Throttle(0, limit, timedelta(0), known_device)
    last = rows[-1][0]
    until = last + delay_after(failures)
    if failures >= limit:
        remaining = failures
        for time, count in rows:
            remaining -= count
            if remaining < limit:
                until = max(time + settings.AXES_COOLOFF_TIME, last + delay_after(remaining))
                break
    return Throttle(failures, limit, max(until - now, timedelta(0)), known_device)


def current_throttle(username, device_key, now):
    """The throttle a try for `username` now meets: the account's, or the known device's."""
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT
    if device_key:
        attempts, limit = attempts.filter(user_agent=device_key), settings.KBO_LOGIN_DEVICE_FAILURE_LIMIT
    return throttle_for(attempts.values_list("attempt_time", "failures_since_start"), limit, now,
                        known_device=bool(device_key))


# --- The known-device cookie ------------------------------------------------------------


def _device_tag(device_id, user):
    return salted_hmac(DEVICE_SALT, f"{device_id}:{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:32]


def _read_device_cookie(request):
    """(device id, account tags) from a valid cookie, or (None, [])."""
    try:
        data = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=DEVICE_SALT,
                             max_age=timedelta(days=settings.KBO_KNOWN_DEVICE_DAYS))
    except signing.BadSignature:
        return None, []
    if not (isinstance(data, dict) and isinstance(data.get("d"), str) and isinstance(data.get("a"), list)):
        return None, []
    return data["d"], [tag for tag in data["a"] if isinstance(tag, str)]


def known_device_key(request, user):
    """The bucket of this device's failures for `user` if the account logged in on this device
    before (with its current password), else None."""
    device_id, tags = _read_device_cookie(request)
    if user is None or device_id is None or _device_tag(device_id, user) not in tags:
        return None
    return DEVICE_ROW_PREFIX + hashlib.sha256(device_id.encode()).hexdigest()[:32]


def remember_device(request, response, user):
    """Give the browser that just logged in as `user` (or keep) its known-device cookie."""
    device_id, tags = _read_device_cookie(request)
    device_id = device_id or secrets.token_urlsafe(24)
    tag = _device_tag(device_id, user)
    tags = [t for t in tags if t != tag][-(ACCOUNTS_PER_DEVICE - 1):] + [tag]
    response.set_cookie(DEVICE_COOKIE, signing.dumps({"d": device_id, "a": tags}, salt=DEVICE_SALT),
                        max_age=settings.KBO_KNOWN_DEVICE_DAYS * 24 * 3600, httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


# --- Counting tries ---------------------------------------------------------------------------


def _row_user_agent(request, device_key):
    if device_key:
        return device_key
    agent = request.axes_user_agent
    # A browser can't name its way into a known device's bucket.
    return "~" + agent[:254] if agent.startswith(DEVICE_ROW_PREFIX) else agent


def count_try(request, username):
    """Decide whether this login try is heard; if it is, count it as a failure now, before the
    password is checked (a success takes it back). Returns the throttle the try met.

    Side effects: may write or update the AccessAttempt row of (username, address, device)
    and deletes the account's rows older than the window; sets request.kbo_counted and
    request.kbo_device_key."""
    User = get_user_model()
    with transaction.atomic():
        # Serialises the tries on one account: each counts and records before the next counts.
        user = User._default_manager.select_for_update().filter(**{User.USERNAME_FIELD: username}).first()
        now = timezone.now()  # after the wait for the lock, not when the request came in
        since = now - settings.AXES_COOLOFF_TIME
        device_key = known_device_key(request, user)
        request.kbo_device_key = device_key
        throttle = current_throttle(username, device_key, now)
        if throttle.refused:
            return throttle
        AccessAttempt.objects.filter(username=username, attempt_time__lt=since).delete()
        details = {
            "get_data": get_query_str(request.GET).replace("\0", "0x00"),
            "post_data": get_query_str(request.POST).replace("\0", "0x00"),  # the password masked
            "http_accept": request.axes_http_accept,
            "path_info": request.axes_path_info,
        }
        attempt, created = AccessAttempt.objects.select_for_update().get_or_create(
            username=username, ip_address=request.axes_ip_address,
            user_agent=_row_user_agent(request, device_key),
            defaults={**details, "failures_since_start": 1, "attempt_time": now})
        previous_time = None if created else attempt.attempt_time
        if not created:
            for field, value in details.items():
                setattr(attempt, field, value)
            attempt.failures_since_start += 1
            attempt.attempt_time = now
            attempt.save()
    request.kbo_counted = (attempt.pk, previous_time, now)
    return throttle


def _take_back(request):
    """A success was no failure: undo the count that count_try made for it."""
    counted = getattr(request, "kbo_counted", None)
    if counted is None:
        return
    pk, previous_time, counted_at = counted
    request.kbo_counted = None
    with transaction.atomic():
        attempt = AccessAttempt.objects.select_for_update().filter(pk=pk).first()
        if attempt is None:
            return
        if attempt.failures_since_start <= 1:
            attempt.delete()
            return
        attempt.failures_since_start -= 1
        if previous_time is not None and attempt.attempt_time == counted_at:
            attempt.attempt_time = previous_time
        attempt.save(update_fields=["failures_since_start", "attempt_time"])


class LoginThrottleBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses a try that the throttle does not hear, and
    counts the others before ModelBackend checks the password. A call without a request (the
    test client's login(), a shell) passes on; every login over HTTP goes through LoginView,
    which always passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username or not settings.AXES_ENABLED:
            return None
        AxesProxyHandler.update_request(request)
        throttle = count_try(request, username)
        request.login_throttle = throttle
        if throttle.refused:
            # With AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off, axes then records
            # nothing, and its middleware answers with lockout_response.
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("login throttled")
        return None


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, deciding by our throttle: a failure was counted before the
    password check, and a success takes its count back and marks the device as known."""

    def get_failures(self, request, credentials=None):
        return self._throttle(request, credentials).failures

    def is_locked(self, request, credentials=None):
        return self._throttle(request, credentials).refused

    def _throttle(self, request, credentials):
        username = get_client_username(request, credentials)
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        return current_throttle(username, known_device_key(request, user), timezone.now())

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None and getattr(request, "kbo_counted", None) and not request.axes_locked_out:
            # Counted already; the login page tells how long the next try must wait.
            request.login_throttle = current_throttle(get_client_username(request, credentials),
                                                      request.kbo_device_key, timezone.now())
            return
        super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        _take_back(request)
        device_key = getattr(request, "kbo_device_key", None)
        if device_key:
            AccessAttempt.objects.filter(username=user.get_username(), user_agent=device_key).delete()
        request.kbo_remember_device = user


class KnownDeviceMiddleware:
    """Gives a browser that has just logged in (LoginThrottleHandler.user_logged_in marks the
    request) its known-device cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "kbo_remember_device", None)
        if user is not None:
            remember_device(request, response, user)
        return response


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies, the
    address the outermost trusted proxy saw (the rest of X-Forwarded-For can be forged).
    Something that is no address falls back to REMOTE_ADDR."""
    proxies = settings.KBO_TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response, credentials):
    """The page a refused login gets: in Thai, how long to wait and what else to do; status
    429 with Retry-After (not a 500)."""
    throttle = getattr(request, "login_throttle", None)
    if throttle is None:
        throttle = AxesProxyHandler.get_implementation()._throttle(request, credentials)
    response = render(request, "registration/locked_out.html", {"throttle": throttle}, status=429)
    response["Retry-After"] = str(max(throttle.wait_seconds, 1))
    return response
