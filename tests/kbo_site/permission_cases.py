from tests.permissions import ANONYMOUS, LOGGED_IN, Case

EVERYONE = {ANONYMOUS, LOGGED_IN}

CASES = [
    # The landing page after login sends each role on to its own start page.
    Case("home", allowed={LOGGED_IN}, ok=302),
    # The login page is open to all; a logged-in user is sent on to the dashboard.
    Case("login", allowed={ANONYMOUS}, denied=302),
    Case("logout", method="post", allowed=EVERYONE, ok=302, not_allowed_methods=("get",)),
    Case("set_language", method="post", data=lambda w: {"language": "en", "next": "/"}, allowed=EVERYONE, ok=302),
]
