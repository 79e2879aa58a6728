from django.db import DatabaseError, connection
from django.urls import reverse


def test_healthz_anonymous_database_up_answers_ok(client, db):
    response = client.get(reverse("healthz"))

    assert (response.status_code, response.content, response["Content-Type"]) == (
        200, b"ok\n", "text/plain; charset=utf-8")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_database_down_answers_503(client, db):
    def refuse(execute, sql, params, many, context):
        if sql == "SELECT 1":
            raise DatabaseError("connection refused")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        response = client.get(reverse("healthz"))

    assert (response.status_code, response.content) == (503, b"database unavailable\n")


def test_healthz_path_is_stable_for_monitors():
    assert reverse("healthz") == "/healthz"
