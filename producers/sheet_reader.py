"""The workbook reader's own process: python-calamine reads the sheet here, never in the worker.

    python -I producers/sheet_reader.py WORKBOOK MEMORY_MB CPU_SECONDS

calamine is Rust: when it cannot allocate, it aborts the whole process, whatever Python would
catch. So it runs in this small process, with its address space bounded (RLIMIT_AS): a workbook
that asks for more memory than an import may use ends this process, and only the batch being
checked fails (producers/workbooks.py). WORKBOOK's extension (.xlsx, .xls or .ods) names the
format, so that calamine never guesses it from the content.

It imports neither Django nor the project, and is given no environment: it sees the workbook and
nothing else. It writes pickled frames to stdout, each a tuple:
    ("sheet", name, height, first row, first column)  the first visible worksheet, then
    ("rows", [(row number as Excel shows it, [cell values]), ...])  every 1,000 rows, then
    ("end",)
or ("refused", "password" | "damaged" | "empty") when calamine cannot give a sheet.
Exit status: 0 done; 3 out of memory (Python's side); anything else, or a signal, a crash.
"""

import pickle
import resource
import sys

ROWS_PER_FRAME = 1000


def _bound(memory_mb, cpu_seconds):
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    try:  # end with the worker, should it be killed while this process is still reading
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _send(out, frame):
    pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


def _rows(sheet):
    """(row number as Excel shows it, values), blank rows included."""
    if sheet.start is None:
        return
    rows = iter(sheet.iter_rows())
    first = next(rows, None)
    if first is None:
        return
    # calamine yields from the sheet's first row (blank rows above the data included); should
    # a version start at the first row with data instead, that row is not blank.
    offset = sheet.start[0] if sheet.start[0] > 0 and any(value != "" for value in first) else 0
    yield offset + 1, first
    yield from enumerate(rows, start=offset + 2)


def main(path, memory_mb, cpu_seconds):
    _bound(int(memory_mb), int(cpu_seconds))
    import python_calamine

    out = sys.stdout.buffer
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        visible = [meta.name for meta in workbook.sheets_metadata
                   if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
                   and meta.visible == python_calamine.SheetVisibleEnum.Visible]
        if not visible:
            return _send(out, ("refused", "empty"))
        sheet = workbook.get_sheet_by_name(visible[0])
    except python_calamine.PasswordError:
        return _send(out, ("refused", "password"))
    except python_calamine.CalamineError:
        return _send(out, ("refused", "damaged"))
    if sheet.start is None:
        return _send(out, ("refused", "empty"))
    _send(out, ("sheet", sheet.name, sheet.height, sheet.start[0], sheet.start[1]))
    chunk = []
    for row in _rows(sheet):
        chunk.append(row)
        if len(chunk) == ROWS_PER_FRAME:
            _send(out, ("rows", chunk))
            chunk = []
    if chunk:
        _send(out, ("rows", chunk))
    _send(out, ("end",))


if __name__ == "__main__":
    try:
        main(*sys.argv[1:4])
    except MemoryError:
        sys.exit(3)
    except BrokenPipeError:  # the worker stopped listening: nothing more to do
        sys.exit(0)
