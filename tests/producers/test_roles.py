"""producers/roles.py as one table: what each registry role may do (as pretalx's test_rules.py
reads), and the record getters' 404 for another province's record, 403 inside the province."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from producers import roles
from tests.factories import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db

PREDICATES = ("can_view_registry", "can_edit_registry", "can_see_personal_data", "can_import", "is_admin",
              "is_national")
VIEW, EDIT, PERSONAL, IMPORT, ADMIN, NATIONAL = PREDICATES

TABLE = {
    "admin": {VIEW, EDIT, PERSONAL, IMPORT, ADMIN},
    "officer": {VIEW, EDIT, PERSONAL},
    "viewer": {VIEW},
    "national officer": {VIEW, EDIT, PERSONAL, NATIONAL},
    "committee member (no registry role)": set(),
    "anonymous": set(),
}


@pytest.fixture
def people(make_user):
    return {
        "admin": make_user("admin"),
        "officer": make_user("officer"),
        "viewer": make_user("viewer"),
        "national officer": make_user("officer", username="national-officer", province="national"),
        "committee member (no registry role)": make_user("nobody"),
        "anonymous": AnonymousUser(),
    }


def test_what_each_registry_role_may_do(people):
    assert {who: {name for name in PREDICATES if getattr(roles, name)(user)}
            for who, user in people.items()} == TABLE


@pytest.mark.parametrize("getter", ["producer", "product"])
def test_the_record_getters_answer_404_for_another_province_and_403_inside_it(people, make_user, getter):
    producer = ProducerFactory()
    record = producer if getter == "producer" else ProductFactory(producer=producer)
    get = roles.get_producer_for if getter == "producer" else roles.get_product_for
    lamphun = make_user("officer", username="lamphun-officer", province="51")

    with pytest.raises(Http404):
        get(lamphun, record.pk, roles.can_view_record)
    with pytest.raises(Http404):
        get(people["officer"], record.pk + 1000, roles.can_view_record)
    with pytest.raises(PermissionDenied):
        get(people["viewer"], record.pk, roles.can_edit_record)
    with pytest.raises(PermissionDenied):
        get(people["committee member (no registry role)"], record.pk, roles.can_view_record)

    assert get(people["national officer"], record.pk, roles.can_edit_record) == record
    assert get(people["viewer"], record.pk, roles.can_view_record) == record
