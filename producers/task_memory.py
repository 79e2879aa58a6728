"""The memory bound of an import task (producers/import_batches.py).

The workbook's own reader is bounded in its process (producers/workbooks.py); the task that
cleans and writes its rows runs in the worker, bounded here for as long as it runs.
"""

import ctypes
import gc
import os
import resource
from contextlib import contextmanager

from django.conf import settings


@contextmanager
def task_memory_bound():
    """Let the task grow this process's address space by at most KBO_IMPORT_TASK_MEMORY_MB
    beyond what it maps when the task starts (RLIMIT_AS, lowered for the task and raised again
    after): past it an allocation fails with MemoryError, which the task turns into a failed
    batch, instead of the kernel's out-of-memory killer ending the worker (or the database) once
    the machine runs out."""
    budget = settings.KBO_IMPORT_TASK_MEMORY_MB
    _give_back_free_memory()
    size = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = None if not budget or size is None else size + budget * 1024 * 1024
    if limit is None or (soft != resource.RLIM_INFINITY and soft <= limit):
        yield  # no bound wanted, or a tighter one in place already
        return
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _give_back_free_memory():
    """Measure the bound from what is in use, not from an earlier task's garbage: collect it, and
    give the C heap's free pages back to the system (glibc's malloc_trim). Freed memory the
    process still maps may be used again by the task without counting against the bound."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _address_space():
    """This process's address space in bytes (Linux), or None where it cannot be told."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None
