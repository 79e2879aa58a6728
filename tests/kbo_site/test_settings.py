import os
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_production_settings_have_no_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="False",
                     SECRET_KEY="x7Pq-production-secret-for-the-check-" + "k" * 30,
                     ALLOWED_HOSTS="kbo.example.go.th")

    assert (result.returncode, result.stderr.strip()) == (0, ""), result.stderr
    assert "no issues" in result.stdout


def test_settings_thai_first():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == ("th", "Asia/Bangkok", True)


def test_thai_translation_is_complete_and_compiled():
    po = polib.pofile(str(ROOT / "locale/th/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]

    assert untranslated == []
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(ROOT / "locale/th/LC_MESSAGES/django.mo"))}
    assert {e.msgid: e.msgstr for e in po.translated_entries() if not e.msgid_plural} == {
        k: v for k, v in compiled.items() if k and k in {e.msgid for e in po if not e.msgid_plural}}


def test_static_assets_come_from_packages():
    from django.contrib.staticfiles import finders

    for asset in ("bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js",
                  "fonts/sarabun/Sarabun-Regular.ttf", "django_htmx/htmx-2.min.js", "css/kbo.css"):
        assert finders.find(asset) is not None, asset


def test_no_cdn_links_in_templates():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html")
                 if "://" in p.read_text(encoding="utf-8").replace("file://", "")
                 and ("cdn" in p.read_text(encoding="utf-8") or "googleapis" in p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_environment_variable_is_in_the_readme_and_the_production_example():
    """A variable the settings read but the README's table or deploy/kbo.env.example leaves out
    is one the operator cannot know about (KBO_IMPORT_TASK_MEMORY_MB was)."""
    import re

    source = (ROOT / "kbo_site" / "settings.py").read_text()
    names = set(re.findall(r"""(?:env\w*|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]+)["']""", source))
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / "deploy" / "kbo.env.example").read_text()
    in_example = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.M))

    assert len(names) >= 20
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
    assert sorted(names - in_example) == []
