"""Heavy libraries are imported where they are used (kbo_site/lazy.py), not at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ["weasyprint", "fontTools", "docx", "odfdo", "openpyxl"]
# What Django's system checks import (every URL and view) and what import_registry imports.
START = f"""
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import producers.management.commands.import_registry
print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))
"""


def test_the_views_and_the_import_command_start_without_the_document_libraries():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kbo_site.settings"}

    done = subprocess.run([sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True)

    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_a_stand_in_imports_its_library_on_first_use_and_forwards_to_it():
    from kbo_site import lazy

    dumps = lazy.name("json", "dumps")
    decoder = lazy.module("json.decoder")

    assert (dumps({"a": 1}), decoder.JSONDecodeError.__name__) == ('{"a": 1}', "JSONDecodeError")
