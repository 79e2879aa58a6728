"""The URL × role permission table, shared by every app.

Each app keeps its rows in tests/<app>/permission_cases.py:

    ROLES = {"member": make_member}        # extra roles: name -> fn(world) -> user
    def build_world(world): ...            # add the objects its URLs need to the dict
    CASES = [Case("producers:producer_edit", kwargs=lambda w: {"pk": w["producer"].pk},
                  allowed={"officer", "admin"}), ...]

tests/test_permissions.py checks every case for every role, and fails when a URL pattern
of the project has no case.

Two roles test the province scope, and follow from the others' rows:
- "national": an officer at the national level. Gets what an officer gets, except on a case
  marked `national_reads_only`, where it is denied.
- "other_province": an admin of another province (Lamphun, 51); the world's objects are in
  Chiang Mai. On a case marked `scoped` (a URL naming an object of the world's province) it
  gets 404, as if the object did not exist; elsewhere it gets what an admin gets, which for
  lists means its own province's (empty) part.

A case with `known_to` (a national round) answers 404 to every logged-in role not in it.
"""

from dataclasses import dataclass, field
from typing import Callable

ANONYMOUS = "anonymous"
# In `allowed`: every logged-in role, including the committee roles other apps add.
LOGGED_IN = "*"
REGISTRY_ROLES = ("viewer", "officer", "admin")
NATIONAL = "national"
OTHER_PROVINCE = "other_province"
SCOPE_ROLES = (NATIONAL, OTHER_PROVINCE)
# The role each scope role answers like, outside the other province's objects.
SCOPE_ROLE_LIKE = {NATIONAL: "officer", OTHER_PROVINCE: "admin"}
OTHER_PROVINCE_CODE = "51"


@dataclass(frozen=True)
class Case:
    url_name: str
    allowed: frozenset | set
    kwargs: Callable = lambda world: {}
    method: str = "get"
    data: Callable = lambda world: {}
    # The status the allowed roles get; 302 for a POST that redirects, 200 for a page.
    ok: int = 200
    # The status the other logged-in roles get: 403, or 404 where hiding existence is right.
    denied: int = 403
    query: str = ""
    # The URL names an object of one province: another province's users get 404.
    scoped: bool = False
    # Methods that must answer 405 (e.g. GET on a POST-only URL), checked for allowed roles.
    not_allowed_methods: tuple = field(default=())
    # The status a national officer gets where it differs from a provincial officer's (pages
    # that national officers read but do not change); None: the officer's.
    national: int | None = None
    # The URL names an object only these roles know of (a national round: the national users and
    # the national committee): every other logged-in role gets 404. A scope role listed in
    # `allowed` by its own name gets `ok` whatever the role it answers like.
    known_to: frozenset | set | None = None

    @property
    def id(self):
        suffix = f"?{self.query}" if self.query else ""
        return f"{self.method.upper()} {self.url_name}{suffix}"
