"""Reading what the page sets a moment later (an image that loads, IndexedDB emptied after the
server's answer) without reading it once too early: polled from here, because
page.wait_for_function evaluates a string in the page, which the site's CSP (no unsafe-eval)
refuses. A page reached through an `expect` (which retries by itself) needs none of this."""

import time


def eventually(page, expression, expected, *, timeout=10):
    """The value of `expression` in the page once it equals `expected`; fails after `timeout` s
    with the last value read."""
    deadline = time.monotonic() + timeout
    while (value := page.evaluate(expression)) != expected:
        assert time.monotonic() < deadline, f"{expression} is {value!r}, not {expected!r}, after {timeout} s"
        page.wait_for_timeout(100)
    return value


def loaded_width(page, selector, *, timeout=10):
    """The natural width of the image at `selector`, once it has loaded."""
    deadline = time.monotonic() + timeout
    while not (width := page.evaluate(f"(document.querySelector({selector!r}) || {{}}).naturalWidth || 0")):
        assert time.monotonic() < deadline, f"{selector} did not load"
        page.wait_for_timeout(100)
    return width
