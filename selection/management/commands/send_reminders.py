"""Queue the automatic scoring reminders for the task worker.

    python manage.py send_reminders          # enqueue; kbo-worker runs it
    python manage.py send_reminders --now    # run here, without the worker

deploy/kbo-reminders.timer runs it every 10 minutes. A round in scoring whose deadline is at
most its "remind … hours before" away gets its reminders then; a member is reminded once per
deadline, however often this runs (selection/reminders.py).
"""

from django.core.management.base import BaseCommand

from selection import reminders
from selection.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Queue (or, with --now, send) the scoring reminders that are due."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="send here instead of queueing for the worker")

    def handle(self, *args, now=False, **options):
        if now:
            self.stdout.write(f"{reminders.send_due_reminders()} reminder(s) sent.")
        else:
            result = send_due_reminders.enqueue()
            self.stdout.write(f"Reminders queued (task {result.id}).")
