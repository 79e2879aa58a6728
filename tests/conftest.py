import pytest
from django.test import Client

from tests.factories import UserFactory

ROLES = ("admin", "officer", "viewer")


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_after_any_flush():
    """A transactional test ends with a flush. Without serialized_rollback, the flush runs
    post_migrate, which makes the content types and permissions again with new ids; a test
    with serialized_rollback that follows then loads the saved copy of the database on top of
    them and stops on a duplicate content type (whichever order a worker gets its tests in).
    Empty those two tables first: the saved copy brings them back with their own ids."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    load = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize(self, data):
        from django.contrib.auth.models import Permission
        from django.contrib.contenttypes.models import ContentType

        alias = self.connection.alias
        Permission.objects.using(alias).all().delete()
        ContentType.objects.using(alias).all().delete()
        ContentType.objects.clear_cache()
        return load(self, data)

    BaseDatabaseCreation.deserialize_db_from_string = deserialize
    yield
    BaseDatabaseCreation.deserialize_db_from_string = load


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password properly takes ~0.4 s; tests make hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks (the workbook import) run inside the request, so tests stay fast and
    deterministic; tests of the worker itself switch to the database backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (live server, concurrency) end with a flush, which also empties
    the rows the data migrations made (provinces, districts, groups). Put them back."""
    marker = request.node.get_closest_marker("django_db")
    if not ({"transactional_db", "live_server"} & set(request.fixturenames)
            or (marker and marker.kwargs.get("transaction"))):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    # The flush recreates the content types with new ids: a cached id from before would break
    # the action log's foreign key (seen only in some test orders).
    ContentType.objects.clear_cache()

    from producers.roles import REGISTRY_GROUPS
    from producers.geography import load_geography
    from producers.models import District, Province, Subdistrict

    if not Province.objects.exists():
        load_geography(Province, District, Subdistrict)
    for name in REGISTRY_GROUPS:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def make_user(db):
    """make_user("officer") → a user in that registry group (or none for "nobody")."""

    def make(role, **kwargs):
        groups = [role] if role in ROLES else []
        return UserFactory(username=kwargs.pop("username", f"{role}-user"), groups=groups, **kwargs)

    return make


@pytest.fixture
def client_for(make_user):
    """client_for("officer") → a logged-in test client; client_for(None) → anonymous."""

    def make(role):
        client = Client()
        if role is not None:
            client.force_login(make_user(role))
        return client

    return make


@pytest.fixture
def officer_client(client_for):
    return client_for("officer")


@pytest.fixture
def admin_client(client_for):
    return client_for("admin")


@pytest.fixture
def viewer_client(client_for):
    return client_for("viewer")
