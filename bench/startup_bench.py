"""The import as a person runs it (issue 11, §6): the whole `manage.py import_registry`
process on the demo's 7,192-product workbook, side by side with a process that does nothing but
parse the same workbook with openpyxl in read-only mode. Start-up counts: Python, Django, the
command's imports, then the reading, checking and writing.

    DATABASE_URL=postgres://… .venv/bin/python -m bench.startup_bench

Target: the import process takes no longer than the parse process (each the median of
RUNS, run alternately so that the machine's load falls on both alike).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from .common import Row, median, seconds

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
# The reference process: a bare Python reading every row's values, nothing else imported.
PARSE_PROCESS = """
import sys
from openpyxl import load_workbook
workbook = load_workbook(sys.argv[1], read_only=True, data_only=True)
for sheet in workbook.worksheets:
    for _ in sheet.iter_rows(values_only=True):
        pass
workbook.close()
"""


def _process_seconds(args):
    """Wall-clock seconds of a process, from its start to its end, as production runs it."""
    env = {**os.environ, "DEBUG": "False"}
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def process_figures(ctx):
    from bench.registry import _empty_registry
    from producers import demo

    if ctx.workbook is None:
        ctx.workbook = ctx.tmp / "demo-registry.xlsx"
        demo.write_workbook(ctx.workbook)
    parse = [sys.executable, "-c", PARSE_PROCESS, str(ctx.workbook)]
    command = [sys.executable, "manage.py", "import_registry", str(ctx.workbook)]

    parse_runs, import_runs = [], []
    for _ in range(RUNS):
        parse_runs.append(_process_seconds(parse))
        _empty_registry()
        import_runs.append(_process_seconds(command))
    reimport_runs = [_process_seconds(command) for _ in range(RUNS)]
    parse_s, import_s, reimport_s = median(parse_runs), median(import_runs), median(reimport_runs)
    target = f"≤ parse process ({seconds(parse_s)})"
    return [
        Row("openpyxl read-only parse of the workbook, whole process (median of 3)", seconds(parse_s),
            "reference", None),
        Row("manage.py import_registry into an empty registry, whole process (median of 3)", seconds(import_s),
            target, import_s <= parse_s),
        Row("manage.py import_registry of the unchanged workbook, whole process (median of 3)",
            seconds(reimport_s), target, reimport_s <= parse_s),
        Row("  import process / parse process", f"{import_s / parse_s:.2f} (re-import {reimport_s / parse_s:.2f})",
            "≤ 1.00", import_s <= parse_s and reimport_s <= parse_s),
    ]


if __name__ == "__main__":
    from .common import run_standalone

    run_standalone(process_figures, "the demo registry (manage.py build_demo --stage registry)")
