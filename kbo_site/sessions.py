"""Sessions end after SESSION_IDLE_SECONDS without a request (settings.SESSION_COOKIE_AGE).

Django's own way to slide the expiry, SESSION_SAVE_EVERY_REQUEST, writes the session row on
every request: under a national morning that is one UPDATE per page view and per autosave.
This middleware moves the expiry on at most once a minute per session instead, so a session
ends between SESSION_IDLE_SECONDS - 60 s and SESSION_IDLE_SECONDS after the last request.
"""

import time

TOUCH_EVERY_SECONDS = 60
TOUCHED_KEY = "_kbo_touched"


class IdleTimeoutMiddleware:
    """Listed after SessionMiddleware: a session that was touched more than a minute ago is
    marked modified, and SessionMiddleware saves it with a new expiry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(TOUCHED_KEY, 0) >= TOUCH_EVERY_SECONDS:
            session[TOUCHED_KEY] = now
        return response
