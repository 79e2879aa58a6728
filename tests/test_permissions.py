"""Every URL × every role: the right role gets in, the others get 403, anonymous users go
to the login page, and GET on a POST-only URL gets 405. A URL without a row fails."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory
from tests.permissions import (
    ANONYMOUS,
    LOGGED_IN,
    NATIONAL,
    OTHER_PROVINCE,
    OTHER_PROVINCE_CODE,
    REGISTRY_ROLES,
    SCOPE_ROLE_LIKE,
    SCOPE_ROLES,
)

APPS = ("kbo_site", "producers", "selection", "meetings")
MODULES = [m for m in (
    importlib.import_module(f"tests.{app}.permission_cases") if importlib.util.find_spec(
        f"tests.{app}.permission_cases") else None for app in APPS) if m]
CASES = [case for module in MODULES for case in module.CASES]
EXTRA_ROLES = {name: fn for module in MODULES for name, fn in getattr(module, "ROLES", {}).items()}
ALL_ROLES = (ANONYMOUS, *REGISTRY_ROLES, *EXTRA_ROLES, *SCOPE_ROLES)
# Django's own admin keeps its own staff check; it is not ours to table.
UNTABLED_NAMESPACES = ("admin",)


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in UNTABLED_NAMESPACES:
                continue
            names |= _url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_url_pattern_has_a_permission_row():
    assert _url_names() - {case.url_name for case in CASES} == set()


@pytest.fixture
def world(db):
    world = {}
    for module in MODULES:
        if hasattr(module, "build_world"):
            module.build_world(world)
    return world


def _user_for(role, world):
    if role == ANONYMOUS:
        return None
    if role in EXTRA_ROLES:
        return EXTRA_ROLES[role](world)
    if role == NATIONAL:
        return UserFactory(username="perm-national", groups=["officer"], province="national")
    if role == OTHER_PROVINCE:
        return UserFactory(username="perm-other-province", groups=["admin"], province=OTHER_PROVINCE_CODE)
    return UserFactory(username=f"perm-{role}", groups=[role])


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_permission(case, role, world):
    """Allowed roles get `ok`, other logged-in roles `denied`; see tests/permissions.py for
    the two province-scope roles."""
    client = Client()
    user = _user_for(role, world)
    if user is not None:
        client.force_login(user)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    if case.query:
        url = f"{url}?{case.query}"

    response = getattr(client, case.method)(url, case.data(world))

    allowed = set(case.allowed)
    if LOGGED_IN in allowed:
        allowed |= set(ALL_ROLES) - {ANONYMOUS}
    if role == ANONYMOUS and ANONYMOUS not in allowed:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif case.known_to is not None and role not in case.known_to:
        assert response.status_code == 404
    elif role == OTHER_PROVINCE and case.scoped:
        assert response.status_code == 404
    elif role in SCOPE_ROLES:
        like = SCOPE_ROLE_LIKE[role]
        expected = case.ok if like in allowed or role in allowed else case.denied
        if role == NATIONAL and case.national is not None:
            expected = case.national
        assert response.status_code == expected
    elif role in allowed:
        assert response.status_code == case.ok
    else:
        assert response.status_code == case.denied


@pytest.mark.parametrize("case", [c for c in CASES if c.not_allowed_methods], ids=lambda c: c.id)
def test_wrong_method_is_405(case, world):
    role = sorted(set(case.allowed) - {ANONYMOUS, LOGGED_IN} or {"viewer"})[0]
    client = Client()
    client.force_login(_user_for(role, world))
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    for method in case.not_allowed_methods:
        assert getattr(client, method)(url).status_code == 405


def test_registry_groups_exist(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(REGISTRY_ROLES)
