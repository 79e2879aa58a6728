"""What every bench shares: the result row, the run's context, and timing helpers."""

import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    """One line of the table: a figure, what was measured, and what it is held against.

    ok is True (target met), False (missed), or None (a reference, or nothing to judge).
    """

    figure: str
    measured: str
    target: str = ""
    ok: bool | None = None


@dataclass
class Context:
    """Shared by the benches of one run, in order. The registry bench fills users and workbook."""

    tmp: Path
    users: dict = field(default_factory=dict)
    workbook: Path | None = None
    notes: dict = field(default_factory=dict)


def not_available(figure, target, why):
    return Row(figure, f"not available ({why})", target, None)


def seconds(value):
    return f"{value:.2f} s"


def ms(value):
    return f"{value * 1000:.1f} ms"


def mib(value):
    return f"{value / 2**20:.1f} MiB"


def timed(fn, *args, **kwargs):
    """(seconds, result) of one call, on the monotonic performance clock."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def percentile(values, fraction):
    """The nearest-rank percentile: p95 of 60 timings is the 57th smallest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def median(values):
    return statistics.median(values)


def time_requests(client, url, *, count=60, warmup=5, expect=200):
    """Server time of `count` GETs through Django's test client (no network), after a warm-up.

    Returns the list of durations in seconds; raises if a response is not `expect`.
    """
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != expect:
            raise RuntimeError(f"GET {url} answered {response.status_code}, expected {expect}")
    durations = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        durations.append(time.perf_counter() - start)
        if response.status_code != expect:
            raise RuntimeError(f"GET {url} answered {response.status_code}, expected {expect}")
    return durations


def width(text):
    """Columns a terminal gives the text: Thai vowel and tone marks sit on their consonant."""
    return sum(1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")


def render_table(rows):
    """The one table `make bench` prints: figure, measured, target/reference, verdict."""
    headers = ("Figure", "Measured", "Target / reference", "")
    verdicts = {True: "ok", False: "MISSED", None: ""}
    cells = [(r.figure, r.measured, r.target, verdicts[r.ok]) for r in rows]
    widths = [max(width(h), *(width(c[i]) for c in cells)) if cells else width(h) for i, h in enumerate(headers)]

    def line(values):
        return "| " + " | ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in cells]
    return "\n".join(out)


# Serving the app for the benches that measure over HTTP (autosave, load) ----------------------------

def free_port(host="127.0.0.1"):
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def session_for(user):
    """A logged-in session in the session store, without a password check or the login throttle."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def start_gunicorn(args, env, port, host="127.0.0.1", cwd=None):
    """Start the venv's gunicorn with `args` in a process group of its own and wait (30 s at most)
    until it listens on host:port."""
    import shutil
    import socket
    import subprocess
    import sys

    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen([gunicorn, *args], cwd=cwd or Path(__file__).resolve().parent.parent, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {process.stderr.read().decode()[-300:]}")
            time.sleep(0.2)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not start within 30 s")


def stop_gunicorn(process):
    import os
    import signal
    import subprocess

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_standalone(figures, needs):
    """One bench run by itself (python -m bench.<name>): its figures against DATABASE_URL as it
    is (nothing is dropped), DEBUG off, its table and the load average. `needs` says what the
    PostgreSQL database must hold."""
    import os
    import sys
    import tempfile

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kbo_site.settings")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(f"Set DATABASE_URL to a PostgreSQL database that holds {needs}.")
    django.setup()
    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory(prefix="kbo-bench-") as tmp, override_settings(DEBUG=False):
        rows = figures(Context(tmp=Path(tmp)))
    print(render_table(rows))
    print(f"(load average at the end {', '.join(f'{value:.1f}' for value in os.getloadavg())})")
