"""Request hygiene that holds for every page of the site, in one place.

- A query string with a NUL character is refused with 400 before any view sees it: no
  database stores or compares NUL in text (PostgreSQL refuses it outright), so every filter,
  search and log would otherwise answer with a server error.
- Every page and download our views answer is kept out of caches (`no-store`): almost every
  page is behind the login and many hold personal data (producers' contacts, exports,
  documents), which a shared office computer's browser cache or a proxy must not keep. A view
  that sets its own Cache-Control keeps it. Static files are served before this middleware
  (WhiteNoise) and stay cacheable.
"""

from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def _has_nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET):
            response = render(request, "400.html", status=400)
        else:
            response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai unless the person chose English with the language switch (its cookie).

    Django's LocaleMiddleware would also follow the browser's Accept-Language: a government PC
    whose Chrome or Windows is set up in English would then show the whole site in English
    without anyone asking for it. The header is set aside for the language decision only."""

    def process_request(self, request):
        header = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            super().process_request(request)
        finally:
            if header is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = header
