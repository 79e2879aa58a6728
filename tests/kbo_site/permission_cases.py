from tests.permissions import ANONYMOUS, LOGGED_IN, Case

EVERYONE = {ANONYMOUS, LOGGED_IN}

CASES = [
    # The landing page after login sends each role on to its own start page.
    Case("home", allowed={LOGGED_IN}, ok=302),
    # The login page is open to all; a logged-in user is sent on to the dashboard.
    Case("login", allowed={ANONYMOUS}, denied=302),
    Case("logout", method="post", allowed=EVERYONE, ok=302, not_allowed_methods=("get",)),
    # The health check answers everyone (the load balancer has no login).
    Case("healthz", allowed=EVERYONE),
    Case("set_language", method="post", data=lambda w: {"language": "en", "next": "/"}, allowed=EVERYONE, ok=302),
]


def build_world(world):
    from axes.models import AccessAttempt

    world["access_attempt"] = AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.9", user_agent="test", failures_since_start=5,
        get_data="", post_data="", http_accept="", path_info="/accounts/login/")


CASES += [
    # Login lock-outs are seen and lifted by admins only.
    Case("lockout_list", allowed={"admin"}),
    # Another province's admin neither sees nor lifts the home province's lock-outs.
    Case("lockout_unlock", method="post", kwargs=lambda w: {"pk": w["access_attempt"].pk},
         allowed={"admin"}, ok=302, not_allowed_methods=("get",), scoped=True),
]
