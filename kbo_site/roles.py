"""Who may do what, decided in one place.

Registry roles are Django groups created by a data migration (producers 0002).
Committee roles (chair, member, secretary) belong to a selection round and live in
`selection`; they are not groups.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

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
    def label(self):
        if is_admin(self.user):
            return ADMIN
        for name in (OFFICER, VIEWER):
            if name in group_names(self.user):
                return name
        return ""


def role_context(request):
    return {"roles": Roles(request.user)}
