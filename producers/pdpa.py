"""Personal data under the PDPA: who saw it, and from where.

Every page or export that shows producers' contact names and phone numbers writes one row
(one INSERT per request, whatever the number of producers on it): a list logs its filter,
a producer page logs the producer.
"""

from .models import PersonalDataAccess, PersonalDataAccessKind

Kind = PersonalDataAccessKind


def client_address(request):
    # REMOTE_ADDR is the proxy's address behind gunicorn + nginx; the proxy must set it
    # (proxy_set_header / ProxyFix). X-Forwarded-For is not trusted: anyone can send it.
    return request.META.get("REMOTE_ADDR") or None


def query_of(request):
    """The filter as the person sent it, without the page number or htmx noise."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def log_access(request, kind, *, producer=None, query="", reason=""):
    """Record one sight of personal data by request.user. The filter is kept to the column's
    length: a query string of any length is still a page to show, not an error."""
    query = query[:PersonalDataAccess._meta.get_field("query").max_length]
    return PersonalDataAccess.objects.create(
        user_id=request.user.pk, kind=kind, producer=producer, query=query,
        address=client_address(request), reason=reason)
