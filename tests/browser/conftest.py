"""Real-browser tests: Playwright drives Debian's chromium (its own browser download
does not work offline), against Django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import a11y
from tests.browser.a11y import AxeChecker

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make to arrange data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A loaded 2-core CI machine can take longer than Playwright's 5 s default for an htmx swap.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI needs Debian's chromium for the browser tests: apt-get install chromium")
    skip = pytest.mark.skip(reason="chromium is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Officers' browsers ask for Thai; headless Chromium would ask for English. Reduced motion:
    # no colour transitions, so the accessibility check never reads a button half-way through
    # its hover colours (it did once, after a click on a download link).
    return {**browser_context_args, "locale": "th-TH", "reduced_motion": "reduce"}


@pytest.fixture
def login(live_server):
    """login(page, user) signs in through the real login form."""

    def do(page, user, password="kbo-test-pass-2565"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

    return do



@pytest.fixture
def page(page):
    """Every document the test reaches is checked with axe-core (tests/browser/a11y.py); the test
    fails at teardown on a serious or critical violation, naming the rule, the element and the
    page."""
    checker = AxeChecker(page)
    yield page
    if not page.is_closed():
        checker.check_now()
    if checker.violations:
        pytest.fail(f"axe-core: serious or critical accessibility violations\n{checker.report()}", pytrace=False)


def pytest_terminal_summary(terminalreporter):
    if a11y.totals:
        terminalreporter.write_line("axe-core: " + ", ".join(
            f"{checks} checks on {why} in {ms / 1000:.1f} s" for why, (checks, ms) in a11y.totals.items()))
