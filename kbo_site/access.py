"""One shape for every access check, in every app.

A view gets its object through the app's getter, `get_<object>_for(user, pk, predicate)`, which
returns the object or raises: 404 when there is none, or when it lies outside what the user may
know of (another province's record is answered as if it did not exist); 403 when the user may
know of it but not do this with it. The predicates are named functions of (user, object) in the
app's rules module (selection/rules.py, meetings/rules.py, producers/roles.py), one place each,
and each rules module has its table test (tests/<app>/test_rules.py).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def get_for(user, queryset, pk, predicate, *, in_scope):
    """The object of `queryset` with primary key `pk` if `predicate(user, obj)`; Http404 if there
    is none or `in_scope(user, obj)` is false, PermissionDenied if `predicate` is."""
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not in_scope(user, obj):
        raise Http404
    if not predicate(user, obj):
        raise PermissionDenied
    return obj
