"""Sessions end after SESSION_IDLE_SECONDS without a request; use moves the end on, with one
session write a minute at most (kbo_site.sessions)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kbo_site import sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 2_000_000_000}
    monkeypatch.setattr(sessions.time, "time", lambda: now["t"])
    return now


@pytest.fixture
def viewer_client(client):
    client.force_login(UserFactory(username="session-viewer", groups=["viewer"]))
    return client


def _session_writes(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(1 for q in queries.captured_queries
               if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT")))


def test_use_within_a_minute_writes_the_session_once(viewer_client, clock):
    url = reverse("producers:dashboard")

    writes = [_session_writes(viewer_client, url) for _ in range(3)]
    clock["t"] += 61
    writes.append(_session_writes(viewer_client, url))

    assert writes == [1, 0, 0, 1]


def test_a_used_session_ends_idle_seconds_after_the_last_touch(viewer_client, clock, settings):
    settings.SESSION_COOKIE_AGE = 15 * 60
    viewer_client.get(reverse("producers:dashboard"))

    session = Session.objects.get()
    left = session.expire_date - timezone.now()
    assert datetime.timedelta(minutes=14) < left <= datetime.timedelta(minutes=15)


def test_an_expired_session_sends_the_user_to_the_login_page(viewer_client):
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))

    response = viewer_client.get(reverse("producers:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
