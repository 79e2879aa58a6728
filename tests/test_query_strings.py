"""Any query string on any page gives a page or a clear refusal (200, 302, 400, 403, 404),
never a server error: long ones, NUL bytes, odd encodings, repeated keys, for a user who sees
personal data (whose lists are logged) and for a national user (who gets the province filter).
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.permissions import NATIONAL
from tests.test_permissions import CASES, MODULES, _user_for

GET_CASES = list({case.url_name: case for case in CASES if case.method == "get"}.values())
FILTER_KEYS = ["q", "province", "district", "subdistrict", "page", "sort", "producer_type", "product_type",
               "classification", "star", "year", "action", "show", "state", "format", "projector", "kind"]
NASTY = ["\x00", "%00", "'", '"', "<script>", "9" * 30, "-1", "0", "ผ้า", "\u202e", "\ud7ff", "1e309", "NaN",
         "../../etc/passwd", " ", "", "ก" * 2000, "a" * 5000]

values = st.one_of(st.sampled_from(NASTY), st.text(max_size=60))
query_strings = st.lists(st.tuples(st.sampled_from(FILTER_KEYS), values), max_size=6)


@pytest.fixture
def world(db):
    world = {}
    for module in MODULES:
        if hasattr(module, "build_world"):
            module.build_world(world)
    return world


def _get(client, url, pairs):
    from urllib.parse import urlencode

    return client.get(f"{url}?{urlencode(pairs)}")


OK = {200, 302, 400, 403, 404}


@pytest.mark.parametrize("role", ["officer", NATIONAL])
@pytest.mark.parametrize("pairs", [
    [("q", "a" * 1500)],
    [("q", "ก" * 1200), ("district", "x" * 400)],
    [("province", "\x00")],
    [("district", "\x00")],
    [("q", "\x00")],
    [("page", "\x00")],
    [("sort", "\x00")],
    [("province", "50"), ("district", "\x00"), ("page", "99999999999999999999")],
], ids=["long-latin", "long-thai", "nul-province", "nul-district", "nul-q", "nul-page", "nul-sort", "mixed"])
def test_hostile_query_strings_never_give_a_server_error(role, pairs, world):
    client = Client(raise_request_exception=False)
    client.force_login(_user_for(role, world))

    for case in GET_CASES:
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        response = _get(client, url, pairs)
        assert response.status_code in OK, (url, pairs, response.status_code)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=query_strings)
def test_any_query_string_on_every_list_gives_no_server_error(pairs, world):
    client = Client(raise_request_exception=False)
    client.force_login(_user_for(NATIONAL, world))

    for name in ("producers:product_list", "producers:producer_list", "producers:dashboard",
                 "producers:product_export", "selection:round_list", "meetings:list", "producers:pdpa_access_log"):
        response = _get(client, reverse(name), pairs)
        assert response.status_code in OK, (name, pairs, response.status_code)
