from django.urls import reverse

from tests.factories import UserFactory
from tests.selection.permission_cases import ROLES, build_world


def test_home_sends_officer_to_dashboard(client_for):
    response = client_for("officer").get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, reverse("producers:dashboard"))


def test_home_sends_committee_member_to_rounds(client, db):
    world = {}
    build_world(world)
    client.force_login(ROLES["member"](world))

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, reverse("selection:round_list"))


def test_home_user_without_role_is_refused(client, db):
    client.force_login(UserFactory(username="nobody"))

    assert client.get(reverse("home")).status_code == 403


def test_login_lands_on_home(client, db):
    UserFactory(username="officer-login", groups=["officer"])

    response = client.post(reverse("login"), {"username": "officer-login", "password": "kbo-test-pass-2565"})

    assert (response.status_code, response["Location"]) == (302, reverse("home"))
