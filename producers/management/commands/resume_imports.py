"""Enqueue again the workbook imports a stopped worker left unfinished.

    python manage.py resume_imports

A worker that is restarted or killed in the middle of a check or an import leaves its batch
"being checked" or "being imported"; nothing of it was written (the import is one
transaction). This command finds such batches (their task is not waiting to run and no worker
holds their province's lock) and enqueues their task again, unless their task was started
three times already (each time its worker died): those are marked failed with a Thai message.
deploy/kbo-worker.service runs it before the worker starts.
"""

from django.core.management.base import BaseCommand

from producers import tasks
from producers.import_batches import resume_abandoned


class Command(BaseCommand):
    help = "Enqueue again the workbook checks and imports a stopped worker left unfinished."
    # Django's system checks import every view (and what they render with): not needed here.
    requires_system_checks = []

    def handle(self, *args, **options):
        given_up = []
        resumed = resume_abandoned(tasks.BY_STATE, given_up=given_up)
        for batch in given_up:
            self.stdout.write(f"gave up batch {batch.pk} ({batch.file_name}): started {batch.attempts} times")
        for batch in resumed:
            self.stdout.write(f"resumed batch {batch.pk} ({batch.file_name}, {batch.get_status_display()})")
        self.stdout.write(f"{len(resumed)} unfinished import(s) resumed.")
