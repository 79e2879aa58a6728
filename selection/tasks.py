"""The selection app's background task (django-tasks; see producers/tasks.py): the automatic
scoring reminders, which `manage.py send_reminders` enqueues every few minutes
(deploy/kbo-reminders.timer) and `manage.py db_worker` runs."""

from django_tasks import task

from . import reminders


@task()
def send_due_reminders():
    """E-mail the members who have not submitted in every round whose reminder time has come
    (once per member and deadline). Returns the number of e-mails sent."""
    return reminders.send_due_reminders()
