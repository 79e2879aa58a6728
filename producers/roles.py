"""Who may do what, decided in one place.

Registry roles are Django groups created by a data migration (producers 0002).
Committee roles (chair, member, secretary) belong to a selection round and live in
`selection`; they are not groups.

Province scope: each user works in one province or at the national level
(producers.Affiliation; no row means the instance's own province, KBO_PROVINCE_CODE).
Provincial users see and change only their province's registry, rounds and meetings; an
object of another province answers 404, as if it did not exist. `scoped()` is the one
filter every list and object lookup goes through.
"""

import functools
from functools import wraps

import geothai
from django.conf import settings
from django.core.exceptions import PermissionDenied

from kbo_site.access import get_for

ADMIN = "admin"
OFFICER = "officer"
VIEWER = "viewer"
REGISTRY_GROUPS = (ADMIN, OFFICER, VIEWER)


def group_names(user):
    """The user's group names, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_kbo_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._kbo_groups = cached
    return cached


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or ADMIN in group_names(user))


def is_officer(user):
    return user.is_authenticated and OFFICER in group_names(user)


def can_import(user):
    return is_admin(user)


def can_edit_registry(user):
    return is_admin(user) or is_officer(user)


def can_view_registry(user):
    return is_admin(user) or bool(group_names(user) & set(REGISTRY_GROUPS))


def can_see_personal_data(user):
    """Contact names and phone numbers are personal data under the PDPA."""
    return can_edit_registry(user)


NATIONAL = None  # province_code() of a national-level user


@functools.cache
def _geothai_provinces():
    return {p.code: (p.name_th, p.name_en) for p in geothai.provinces()}


def province_from_geothai(code):
    """An unsaved Province with the code and names geothai gives (the same rows the
    producers migration loads); None for an unknown code."""
    from producers.models import Province

    names = _geothai_provinces().get(code)
    return Province(code=code, name_th=names[0], name_en=names[1]) if names else None


def province_code(user):
    """The code of the user's province, or NATIONAL (None) for a national-level user.
    Cached on the user object for the request."""
    if not user.is_authenticated:
        return settings.KBO_PROVINCE_CODE
    try:
        return user._kbo_province
    except AttributeError:
        pass
    from producers.models import Affiliation  # roles is imported by models' apps

    rows = list(Affiliation.objects.filter(user_id=user.pk).values_list("province_id", flat=True))
    code = rows[0] if rows else settings.KBO_PROVINCE_CODE
    user._kbo_province = code
    return code


def is_national(user):
    return user.is_authenticated and province_code(user) is NATIONAL


def in_scope(user, code):
    """Whether a record of province `code` is visible to the user."""
    return is_national(user) or province_code(user) == code


def scoped(queryset, user, field="province"):
    """The part of `queryset` in the user's province (all of it for national users).
    `field` is the lookup of the province from the queryset's model, e.g.
    "producer__province" for products or "committee__province" for rounds."""
    if is_national(user):
        return queryset
    return queryset.filter(**{f"{field}_id": province_code(user)})


def role_required(predicate):
    """View decorator: 403 unless predicate(user). Anonymous users never get here:
    LoginRequiredMiddleware sends them to the login page first."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class Roles:
    """What the templates ask of the current user, as attributes."""

    def __init__(self, user):
        self.user = user

    @property
    def is_admin(self):
        return is_admin(self.user)

    @property
    def can_import(self):
        return can_import(self.user)

    @property
    def can_edit_registry(self):
        return can_edit_registry(self.user)

    @property
    def can_view_registry(self):
        return can_view_registry(self.user)

    @property
    def can_see_personal_data(self):
        return can_see_personal_data(self.user)

    @property
    def is_national(self):
        return is_national(self.user)

    @property
    def province(self):
        """The user's province (a Province), or None at the national level. Built from geothai,
        the source of the provinces table, so that every page's header costs no query."""
        code = province_code(self.user)
        if code is NATIONAL:
            return None
        return province_from_geothai(code)

    @property
    def label(self):
        if is_admin(self.user):
            return ADMIN
        for name in (OFFICER, VIEWER):
            if name in group_names(self.user):
                return name
        return ""


def role_context(request):
    return {"roles": Roles(request.user)}


# ------------------------------------------------------------ object look-ups (kbo_site.access)
# Registry records are checked by the user's role alone; the province decides whether the user
# may know of the record at all.

def can_view_record(user, record):
    return can_view_registry(user)


def can_edit_record(user, record):
    return can_edit_registry(user)


def can_import_into(user, batch):
    return can_import(user)


def can_anonymise(user, producer):
    return is_admin(user)


def get_producer_for(user, pk, predicate, queryset=None):
    """The producer if `predicate(user, producer)`; 404 if none or of another province, else 403."""
    from producers.models import Producer

    return get_for(user, Producer.objects.all() if queryset is None else queryset, pk, predicate,
                   in_scope=lambda user, producer: in_scope(user, producer.province_id))


def get_product_for(user, pk, predicate, queryset=None):
    from producers.models import Product

    queryset = Product.objects.select_related("producer") if queryset is None else queryset
    return get_for(user, queryset, pk, predicate,
                   in_scope=lambda user, product: in_scope(user, product.producer.province_id))


def get_batch_for(user, pk, predicate, queryset=None):
    from producers.models import ImportBatch

    return get_for(user, ImportBatch.objects.all() if queryset is None else queryset, pk, predicate,
                   in_scope=lambda user, batch: in_scope(user, batch.province_id))
