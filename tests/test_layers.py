"""The apps stand in layers, read from their imports (every import statement, at module level or
inside a function): kbo_site is the base every app may use and imports no app; producers (the
registry, the user's province and roles) imports neither selection nor meetings; selection
imports nothing of meetings. kbo_site/urls.py and kbo_site/settings.py are the project's wiring,
which must name the apps, and migrations are history; both are left out."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("kbo_site", "producers", "selection", "meetings")
MAY_NOT_IMPORT = {
    "kbo_site": {"producers", "selection", "meetings"},
    "producers": {"selection", "meetings"},
    "selection": {"meetings"},
    "meetings": set(),
}
WIRING = {Path("kbo_site/urls.py"), Path("kbo_site/settings.py")}


def imported_apps(path):
    """(line, app) for every import of one of the apps in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in APPS]
    return found


def _sources(app):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "migrations" not in relative.parts and relative not in WIRING:
            yield relative


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_layers_below_it(app):
    crossings = [f"{path}:{line} imports {other}" for path in _sources(app)
                 for line, other in imported_apps(ROOT / path) if other in MAY_NOT_IMPORT[app]]

    assert crossings == []


def test_the_reader_sees_imports_inside_functions_too(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("import os\n\ndef f():\n    from selection.rules import membership\n    import meetings.models\n")

    assert imported_apps(source) == [(4, "selection"), (5, "meetings")]
