"""Login throttling (django-axes), the admins' lock-out page, and the security headers."""

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "kbo-test-pass-2565"


def _fail(client, username, times, address="10.1.1.1"):
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address)
    return response


def test_login_five_failures_lock_the_account_with_a_thai_page(client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(client, "officer-a", 5)

    response = client.post(reverse("login"), {"username": "officer-a", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")

    assert response.status_code == 429
    assert "เข้าสู่ระบบผิดพลาดหลายครั้งเกินไป" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_four_failures_still_let_the_right_password_in(client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(client, "officer-a", 4)

    response = client.post(reverse("login"), {"username": "officer-a", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")

    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_login_locked_account_stays_locked_from_another_address(db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(Client(), "officer-a", 5, address="10.1.1.1")

    response = Client().post(reverse("login"), {"username": "officer-a", "password": PASSWORD},
                             REMOTE_ADDR="10.2.2.2")

    assert response.status_code == 429


def test_login_address_with_many_failures_is_locked_for_other_accounts(db):
    UserFactory(username="officer-b", groups=["officer"])
    for name in ("guess1", "guess2", "guess3", "guess4", "guess5"):
        _fail(Client(), name, 1, address="10.3.3.3")

    response = Client().post(reverse("login"), {"username": "officer-b", "password": PASSWORD},
                             REMOTE_ADDR="10.3.3.3")

    assert response.status_code == 429


def test_login_cool_off_and_limit_come_from_settings(client, db, settings):
    from datetime import timedelta

    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    _fail(client, "someone", 2)

    response = client.post(reverse("login"), {"username": "someone", "password": "x"}, REMOTE_ADDR="10.1.1.1")

    assert response.status_code == 429
    assert "30" in response.content.decode()


def test_test_client_login_still_works_without_a_request(client, db):
    UserFactory(username="officer-c", groups=["officer"])

    assert client.login(username="officer-c", password=PASSWORD) is True


def test_lockout_list_shows_locked_account_to_admin(admin_client, db):
    _fail(Client(), "officer-a", 5)

    response = admin_client.get(reverse("lockout_list"))

    assert response.status_code == 200
    assert [(a.username, a.failures_since_start, a.locked) for a in response.context["attempts"]] == [
        ("officer-a", 5, True)]


def test_lockout_list_query_count_is_fixed(admin_client, db, django_assert_num_queries):
    admin_client.get(reverse("lockout_list"))  # the session's idle expiry: written once a minute at most
    for rows in (1, 10):
        AccessAttempt.objects.all().delete()
        for n in range(rows):
            _fail(Client(), f"user-{n}", 1, address=f"10.9.0.{n + 1}")
        with django_assert_num_queries(7):
            admin_client.get(reverse("lockout_list"))


def test_lockout_unlock_lets_the_account_log_in_again(admin_client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(Client(), "officer-a", 5)
    attempt = AccessAttempt.objects.get(username="officer-a")

    unlock = admin_client.post(reverse("lockout_unlock", args=[attempt.pk]))
    response = Client().post(reverse("login"), {"username": "officer-a", "password": PASSWORD},
                             REMOTE_ADDR="10.1.1.1")

    assert (unlock.status_code, AccessAttempt.objects.count()) == (302, 0)
    assert response.status_code == 302


def test_lockout_list_shows_who_unlocked_what(admin_client, db):
    _fail(Client(), "officer-a", 5)
    admin_client.post(reverse("lockout_unlock", args=[AccessAttempt.objects.get().pk]))

    response = admin_client.get(reverse("lockout_list"))

    assert [(e.user.username, e.change_message) for e in response.context["unlocks"]] == [
        ("admin-user", "officer-a @ 10.1.1.1")]


def test_client_ip_behind_one_trusted_proxy_is_the_forwarded_address(rf, settings):
    from kbo_site.security import client_ip

    settings.KBO_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7", REMOTE_ADDR="127.0.0.1")

    assert client_ip(request) == "203.0.113.7"


def test_client_ip_without_trusted_proxy_ignores_forwarded_header(rf, settings):
    from kbo_site.security import client_ip

    settings.KBO_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="127.0.0.9")

    assert client_ip(request) == "127.0.0.9"


def test_pages_send_a_csp_without_inline_scripts(client, db):
    response = client.get(reverse("login"))

    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert (policy["script-src"], policy["style-src-elem"], policy["frame-ancestors"]) == (
        "'self'", "'self'", "'none'")
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_or_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.html")
                 if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=", p.read_text(encoding="utf-8"))]

    assert offenders == []
