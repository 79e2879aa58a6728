"""Login throttling (django-axes with our handler), the admins' lock-out page, the password
rules, and the security headers.

The throttle is attacked the ways issue 10 names: accounts interleaved with good logins from
one address, many forwarded addresses against one account, a hammered chair, an office behind
one NAT address, parallel guesses. Time passes by moving the recorded failures back.
"""

import threading
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "kbo-test-pass-2565"
WRONG = "Wrong-guess-1"
WRONG_LOGIN = "และรหัสผ่านที่ถูกต้อง"  # Django's Thai for "Please enter a correct username and password"


def _login(client, username, password, address="10.1.1.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def _fail(client, username, times, address="10.1.1.1"):
    for _ in range(times):
        response = _login(client, username, WRONG, address)
    return response


def _time_passes(**delta):
    """As if `delta` had passed: every recorded failure moves that far into the past."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(**delta))


def _outcome(response):
    """heard: the password was checked and was wrong; refused: not checked (429); in: logged in."""
    if response.status_code == 302:
        return "in"
    if response.status_code == 429:
        return "refused"
    assert WRONG_LOGIN in response.content.decode()
    return "heard"


def _text(response):
    """The page's visible words, with the template's line breaks and indents folded."""
    return " ".join(response.content.decode().split())


@pytest.fixture
def no_delay(settings):
    """Only the hourly cap: every try up to the cap is heard at once."""
    settings.KBO_LOGIN_FIRST_DELAY = timedelta(0)


# --- The growing delay -------------------------------------------------------------------


def test_login_three_failures_are_heard_at_once_and_the_third_tells_the_wait(client, db):
    UserFactory(username="officer-a", groups=["officer"])

    outcomes = [_outcome(_login(client, "officer-a", WRONG)) for _ in range(2)]
    third = _login(client, "officer-a", WRONG)

    assert outcomes + [_outcome(third)] == ["heard", "heard", "heard"]
    assert ("บัญชีนี้มีการเข้าสู่ระบบผิดพลาดหลายครั้ง เพื่อความปลอดภัย จะลองใหม่ได้อีกครั้งใน 15 วินาที"
            in _text(third))


def test_login_within_the_delay_is_refused_unchecked_with_the_wait_in_thai(client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(client, "officer-a", 3)

    response = _login(client, "officer-a", PASSWORD)

    text = _text(response)
    assert (response.status_code, response["Retry-After"]) == (429, "15")
    assert "เข้าสู่ระบบผิดพลาดหลายครั้งเกินไป" in text
    assert ("บัญชีนี้มีการเข้าสู่ระบบผิดพลาด 3 ครั้งใน 60 นาทีที่ผ่านมา เพื่อความปลอดภัย "
            "จะลองใหม่ได้อีกครั้งใน 15 วินาที") in text
    assert "ระบบยังไม่ได้ตรวจรหัสผ่านที่กรอกครั้งนี้" in text
    assert "_auth_user_id" not in client.session
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 3


def test_login_after_the_delay_the_right_password_gets_in(client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(client, "officer-a", 3)
    _time_passes(seconds=15)

    response = _login(client, "officer-a", PASSWORD)

    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_login_delay_doubles_with_each_failure_up_to_the_hourly_cap(client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(client, "officer-a", 3)
    waits = []
    for _ in range(7):
        refused = _login(client, "officer-a", WRONG)
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        _time_passes(seconds=waits[-1])
        assert _outcome(_login(client, "officer-a", WRONG)) == "heard"

    capped = _login(client, "officer-a", PASSWORD, address="10.7.7.7")

    assert waits == [15, 30, 60, 120, 240, 480, 900]
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 10
    assert capped.status_code == 429
    assert ("ระงับการเข้าสู่ระบบบัญชีนี้จากอุปกรณ์ที่ไม่เคยใช้กับบัญชีนี้เป็นเวลา 60 นาที "
            "กรุณาเข้าสู่ระบบจากอุปกรณ์ที่เคยใช้ หรือติดต่อผู้ดูแลระบบให้ปลดล็อก") in _text(capped)


def test_login_refused_tries_do_not_extend_the_delay(client, db):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(client, "officer-a", 3)
    for _ in range(10):  # a second apart (real time passes too: 5 s are left for it)
        _time_passes(seconds=1)
        assert _login(client, "officer-a", WRONG).status_code == 429

    _time_passes(seconds=5)  # 15 s since the third failure, 10 refused tries later: the delay is over

    assert _outcome(_login(client, "officer-a", PASSWORD)) == "in"


def test_login_waits_are_written_in_seconds_then_minutes(db):
    from kbo_site.security import wait_text

    assert [wait_text(timedelta(seconds=s)) for s in (0.2, 15, 119, 120, 121, 3600)] == [
        "1 วินาที", "15 วินาที", "119 วินาที", "2 นาที", "3 นาที", "60 นาที"]


# --- No more than ten guesses per account per hour, however they are mixed ----------------


def test_login_good_logins_between_guesses_from_one_address_give_no_extra_guesses(db, no_delay):
    UserFactory(username="member1")
    UserFactory(username="member5")
    attacker = Client()
    guesses, own_logins = [], []
    for _ in range(5):  # the red team's loop: 4 wrong passwords for member5, a good login as member1
        guesses += [_outcome(_login(attacker, "member5", WRONG)) for _ in range(4)]
        own_logins.append(_outcome(_login(attacker, "member1", PASSWORD)))
        attacker.post(reverse("logout"))

    assert guesses == ["heard"] * 10 + ["refused"] * 10
    assert own_logins == ["in"] * 5
    assert _outcome(_login(Client(), "member5", PASSWORD, address="10.9.9.9")) == "refused"


def test_login_guesses_from_many_forwarded_addresses_stop_at_ten(db, no_delay, settings):
    settings.KBO_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="chair")

    outcomes = [_outcome(_login(Client(), "chair", WRONG, address="127.0.0.1",
                                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.{n}"))
                for n in range(1, 16)]

    assert outcomes == ["heard"] * 10 + ["refused"] * 5
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True))[:2] == ["203.0.113.1", "203.0.113.10"]


def test_login_ten_an_hour_goes_on_as_old_failures_age(db, no_delay):
    UserFactory(username="chair")
    for n in range(10):
        _login(Client(), "chair", WRONG, address=f"10.5.0.{n + 1}")
        _time_passes(minutes=3)  # ten failures spread over 30 minutes

    refused = _login(Client(), "chair", WRONG, address="10.5.1.1")
    _time_passes(minutes=31)  # the first failure is now 61 minutes old, the second 58
    heard = _login(Client(), "chair", WRONG, address="10.5.1.2")
    refused_again = _login(Client(), "chair", WRONG, address="10.5.1.3")

    assert [_outcome(r) for r in (refused, heard, refused_again)] == ["refused", "heard", "refused"]
    assert refused["Retry-After"] == str(30 * 60)


def test_login_the_owners_success_gives_the_guesser_no_tries(db, no_delay):
    UserFactory(username="chair")
    _fail(Client(), "chair", 8, address="10.6.6.6")

    _login(Client(), "chair", PASSWORD, address="10.2.2.2")  # the chair, from a new device, in
    outcomes = [_outcome(_login(Client(), "chair", WRONG, address="10.6.6.6")) for _ in range(3)]

    assert outcomes == ["heard", "heard", "refused"]


def test_login_a_success_takes_back_its_own_count(client, db):
    UserFactory(username="officer-a", groups=["officer"])

    _login(client, "officer-a", PASSWORD)

    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
def test_login_parallel_guesses_cannot_slip_under_the_cap(settings):
    settings.KBO_LOGIN_FIRST_DELAY = timedelta(0)
    UserFactory(username="chair")
    barrier = threading.Barrier(16)
    outcomes = [None] * 16

    def guess(i):
        try:
            barrier.wait()
            outcomes[i] = _outcome(_login(Client(), "chair", WRONG, address=f"10.8.0.{i + 1}"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["heard"] * 10 + ["refused"] * 6


# --- The real user gets in ---------------------------------------------------------------


def test_login_colleague_behind_the_same_address_logs_in_after_anothers_typos(db, no_delay):
    UserFactory(username="officer-a", groups=["officer"])
    UserFactory(username="officer-b", groups=["officer"])
    _fail(Client(), "officer-a", 12, address="10.3.3.3")

    response = _login(Client(), "officer-b", PASSWORD, address="10.3.3.3")

    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_login_many_wrong_names_from_one_address_do_not_lock_the_address(db, no_delay):
    UserFactory(username="officer-b", groups=["officer"])
    for n in range(30):
        _login(Client(), f"guess{n}", WRONG, address="10.3.3.3")

    assert _outcome(_login(Client(), "officer-b", PASSWORD, address="10.3.3.3")) == "in"


def test_login_chair_on_a_known_device_gets_in_while_the_account_is_hammered(db, settings):
    settings.KBO_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="chair")
    laptop = Client()
    assert _outcome(_login(laptop, "chair", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.0.5")) == "in"
    laptop.post(reverse("logout"))
    for n in range(40):  # delays included: most of these are refused unchecked
        _login(Client(), "chair", WRONG, address="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        _time_passes(minutes=1)

    new_device = _login(Client(), "chair", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.0.5")
    own_laptop = _login(laptop, "chair", PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.0.5")

    assert (new_device.status_code, own_laptop.status_code) == (429, 302)


def test_login_known_device_moves_between_addresses(db, no_delay):
    UserFactory(username="chair")
    phone = Client()
    _login(phone, "chair", PASSWORD, address="10.1.1.1")
    phone.post(reverse("logout"))
    _fail(Client(), "chair", 10, address="10.6.6.6")

    assert _outcome(_login(phone, "chair", PASSWORD, address="172.20.1.9")) == "in"


def test_login_known_device_has_its_own_small_budget(db, no_delay):
    UserFactory(username="chair")
    shared_pc = Client()
    _login(shared_pc, "chair", PASSWORD)
    shared_pc.post(reverse("logout"))

    outcomes = [_outcome(_login(shared_pc, "chair", WRONG)) for _ in range(6)]
    refused = _login(shared_pc, "chair", PASSWORD)

    assert outcomes == ["heard"] * 5 + ["refused"]
    assert ("ระงับการเข้าสู่ระบบบัญชีนี้จากอุปกรณ์นี้เป็นเวลา 60 นาที "
            "หากรอไม่ได้ กรุณาติดต่อผู้ดูแลระบบให้ปลดล็อก") in _text(refused)
    # Its failures count against the account too: new devices have five left.
    assert [_outcome(_login(Client(), "chair", WRONG, address="10.4.4.4")) for _ in range(6)] == (
        ["heard"] * 5 + ["refused"])


def test_login_known_device_success_forgives_only_its_own_typos(db, no_delay):
    UserFactory(username="chair")
    laptop = Client()
    _login(laptop, "chair", PASSWORD)
    laptop.post(reverse("logout"))
    _fail(Client(), "chair", 6, address="10.6.6.6")
    _fail(laptop, "chair", 3)

    assert _outcome(_login(laptop, "chair", PASSWORD)) == "in"
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [("10.6.6.6", 6)]


def test_login_attackers_own_device_cookie_gives_no_tries_on_another_account(db, no_delay):
    UserFactory(username="member1")
    UserFactory(username="chair")
    attacker = Client()
    _login(attacker, "member1", PASSWORD)  # the attacker's browser is a known device of member1
    attacker.post(reverse("logout"))

    outcomes = [_outcome(_login(attacker, "chair", WRONG)) for _ in range(12)]

    assert outcomes == ["heard"] * 10 + ["refused"] * 2


def test_login_forged_device_cookie_is_not_a_known_device(db, no_delay):
    UserFactory(username="chair")
    laptop = Client()
    _login(laptop, "chair", PASSWORD)
    _fail(Client(), "chair", 10, address="10.6.6.6")
    forged = Client()
    forged.cookies["kbo_device"] = laptop.cookies["kbo_device"].value[:-3] + "abc"

    assert _outcome(_login(forged, "chair", PASSWORD)) == "refused"


def test_login_password_change_forgets_known_devices(db, no_delay):
    chair = UserFactory(username="chair")
    laptop = Client()
    _login(laptop, "chair", PASSWORD)
    laptop.post(reverse("logout"))
    chair.set_password("Another-pass-9911")
    chair.save()
    _fail(Client(), "chair", 10, address="10.6.6.6")

    assert _outcome(_login(laptop, "chair", "Another-pass-9911")) == "refused"


def test_login_device_cookie_is_http_only_and_long_lived(client, db):
    UserFactory(username="chair")

    _login(client, "chair", PASSWORD)

    cookie = client.cookies["kbo_device"]
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (True, "Lax", 180 * 24 * 3600)
    assert "chair" not in cookie.value


def test_login_limits_come_from_settings(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    settings.KBO_LOGIN_FIRST_DELAY = timedelta(0)
    UserFactory(username="someone")
    _fail(client, "someone", 2)

    response = _login(client, "someone", PASSWORD)

    assert response.status_code == 429
    assert "เป็นเวลา 30 นาที" in _text(response)


def test_test_client_login_still_works_without_a_request(client, db):
    UserFactory(username="officer-c", groups=["officer"])

    assert client.login(username="officer-c", password=PASSWORD) is True


# --- The admins' lock-out page -----------------------------------------------------------


def test_lockout_list_shows_a_paused_account_to_admin(admin_client, db, no_delay):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(Client(), "officer-a", 10)

    response = admin_client.get(reverse("lockout_list"))

    assert response.status_code == 200
    assert [(a.username, a.failures, a.addresses, a.state) for a in response.context["accounts"]] == [
        ("officer-a", 10, ["10.1.1.1"], "paused")]
    assert "หยุดรับจากอุปกรณ์ใหม่ถึง" in _text(response)


def test_lockout_list_tells_slowed_from_paused(admin_client, db):
    UserFactory(username="officer-a", groups=["officer"])
    UserFactory(username="officer-b", groups=["officer"])
    _fail(Client(), "officer-a", 3)
    _fail(Client(), "officer-b", 1)

    response = admin_client.get(reverse("lockout_list"))

    assert sorted((a.username, a.failures, a.state) for a in response.context["accounts"]) == [
        ("officer-a", 3, "slowed"), ("officer-b", 1, "open")]
    assert "ชะลอ: ลองครั้งถัดไปได้ใน 15 วินาที" in _text(response)


def test_lockout_list_query_count_is_fixed(admin_client, db, django_assert_num_queries):
    admin_client.get(reverse("lockout_list"))  # the session's idle expiry: written once a minute at most
    for rows in (1, 10):
        AccessAttempt.objects.all().delete()
        for n in range(rows):
            _fail(Client(), f"user-{n}", 1, address=f"10.9.0.{n + 1}")
        with django_assert_num_queries(7):
            admin_client.get(reverse("lockout_list"))


def test_lockout_unlock_lets_the_account_log_in_again_from_a_new_device(admin_client, db, no_delay):
    UserFactory(username="officer-a", groups=["officer"])
    _fail(Client(), "officer-a", 5)
    _fail(Client(), "officer-a", 6, address="10.2.2.2")  # the last one refused
    attempt = AccessAttempt.objects.filter(username="officer-a").first()

    unlock = admin_client.post(reverse("lockout_unlock", args=[attempt.pk]))
    response = _login(Client(), "officer-a", PASSWORD, address="10.3.3.3")

    assert (unlock.status_code, AccessAttempt.objects.count()) == (302, 0)
    assert response.status_code == 302


def test_lockout_unlock_leaves_other_accounts_from_the_same_address(admin_client, db):
    _fail(Client(), "officer-a", 2)
    _fail(Client(), "officer-b", 2)

    admin_client.post(reverse("lockout_unlock", args=[AccessAttempt.objects.get(username="officer-a").pk]))

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["officer-b"]


def test_lockout_list_shows_who_unlocked_what(admin_client, db):
    _fail(Client(), "officer-a", 5)
    admin_client.post(reverse("lockout_unlock", args=[AccessAttempt.objects.get().pk]))

    response = admin_client.get(reverse("lockout_list"))

    assert [(e.actor.username, e.detail["unlocked"]) for e in response.context["unlocks"]] == [
        ("admin-user", "officer-a @ 10.1.1.1")]


@pytest.fixture
def two_provinces_under_attack(db):
    """A Chiang Mai officer and a Lamphun officer, each with failed logins from their own
    marked address, and a guess at a name that is no account."""
    UserFactory(username="cm-officer", groups=["officer"])  # no affiliation: the instance's province
    UserFactory(username="lp-officer", groups=["officer"], province="51")
    _fail(Client(), "cm-officer", 2, address="10.50.0.1")
    _fail(Client(), "lp-officer", 2, address="10.51.0.1")
    _fail(Client(), "no-such-user", 1, address="10.99.0.1")


def test_lockout_list_of_a_provincial_admin_shows_only_their_province(client, db, two_provinces_under_attack):
    lamphun_admin = UserFactory(username="lp-admin", groups=["admin"], province="51")
    client.force_login(lamphun_admin)

    text = client.get(reverse("lockout_list")).content.decode()

    assert ("lp-officer" in text, "10.51.0.1" in text) == (True, True)
    assert ("cm-officer" in text, "10.50.0.1" in text, "no-such-user" in text, "10.99.0.1" in text) == (
        False, False, False, False)


def test_lockout_list_of_the_home_province_admin_also_shows_names_of_no_account(
        client, db, two_provinces_under_attack):
    client.force_login(UserFactory(username="cm-admin", groups=["admin"]))

    text = client.get(reverse("lockout_list")).content.decode()

    assert ("cm-officer" in text, "no-such-user" in text, "10.99.0.1" in text) == (True, True, True)
    assert ("lp-officer" in text, "10.51.0.1" in text) == (False, False)


def test_lockout_list_of_a_national_admin_shows_every_province(client, db, two_provinces_under_attack):
    client.force_login(UserFactory(username="nat-admin", groups=["admin"], province="national"))

    text = client.get(reverse("lockout_list")).content.decode()

    assert [name in text for name in ("cm-officer", "lp-officer", "no-such-user", "10.51.0.1")] == [True] * 4


def test_lockout_unlock_of_another_province_is_404(client, db, two_provinces_under_attack):
    client.force_login(UserFactory(username="lp-admin", groups=["admin"], province="51"))
    chiang_mai_row = AccessAttempt.objects.get(username="cm-officer")

    response = client.post(reverse("lockout_unlock", args=[chiang_mai_row.pk]))

    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username="cm-officer").exists()


def test_lockout_list_unlocks_of_another_province_are_not_shown(client, db, two_provinces_under_attack):
    national = Client()
    national.force_login(UserFactory(username="nat-admin", groups=["admin"], province="national"))
    for row in AccessAttempt.objects.all():
        national.post(reverse("lockout_unlock", args=[row.pk]))
    client.force_login(UserFactory(username="lp-admin", groups=["admin"], province="51"))

    response = client.get(reverse("lockout_list"))

    assert [e.detail["unlocked"] for e in response.context["unlocks"]] == ["lp-officer @ 10.51.0.1"]


# --- The address a request comes from ----------------------------------------------------


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


def test_client_ip_that_is_no_address_falls_back_to_the_proxy(rf, settings):
    from kbo_site.security import client_ip

    settings.KBO_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="unknown", REMOTE_ADDR="127.0.0.1")

    assert client_ip(request) == "127.0.0.1"


# --- Password rules ----------------------------------------------------------------------


@pytest.mark.parametrize("password", [
    "chiangmai", "Chiang Mai", "chiang-mai2567", "CHIANGMAI@2565!", "2567chiangmai",
    "sawasdee123", "Khobkhun99", "maipenrai", "kbo-otop", "kbochiangmai2567", "otop2565",
    "committee1", "lamphun2567", "nakhonratchasima", "phangnga!", "krungthep", "sanpatong",
])
def test_password_of_places_thai_words_or_our_words_is_refused_in_thai(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert "รหัสผ่านนี้เดาง่ายเกินไป" in " ".join(refused.value.messages)


def test_password_list_holds_every_province_of_geothai():
    import geothai

    from kbo_site.passwords import ThaiCommonPasswordValidator

    validator = ThaiCommonPasswordValidator()
    refused = []
    for province in geothai.provinces():
        try:
            validator.validate(province.name_en + "2567")
        except ValidationError:
            refused.append(province.name_en)

    assert len(refused) == 77


@pytest.mark.parametrize("password", [
    "Doi-Saket-Lamyai-Orchard-88", "nan-4839-2201-7765", "Otter7#river$Blue", "x9Chiangmai-Gq2!r",
])
def test_password_of_a_place_among_other_words_or_many_digits_is_accepted(password):
    assert validate_password(password) is None


def test_password_list_keeps_djangos_common_passwords():
    with pytest.raises(ValidationError) as refused:
        validate_password("password123")

    assert [e.code for e in refused.value.error_list] == ["password_too_common"]


# --- Headers -------------------------------------------------------------------------------


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
