"""The workbook import's background tasks (django-tasks; Django 6's `django.tasks` API).

`manage.py db_worker` runs them, taking them from the database (django-tasks-db): no broker.
Each task takes a batch id, and leaves the batch in a state the admin's page can show
(previewed, refused, imported, failed); the work is in producers/import_batches.py.
"""

from django_tasks import task

from . import import_batches
from .models import ImportBatch, ImportStatus


@task()
def check_workbook(batch_id):
    """Read and clean every row of an uploaded workbook; write nothing (the preview)."""
    batch = ImportBatch.objects.select_related("province").filter(pk=batch_id).first()
    if batch is not None:
        import_batches.check_batch(batch)


@task()
def import_workbook(batch_id):
    """Import a confirmed workbook into the registry, in one transaction."""
    batch = ImportBatch.objects.select_related("province", "confirmed_by").filter(pk=batch_id).first()
    if batch is not None:
        import_batches.import_batch(batch)


# The task that works on a batch in each of the running states (import_batches.resume_abandoned).
BY_STATE = {ImportStatus.CHECKING: check_workbook, ImportStatus.IMPORTING: import_workbook}
