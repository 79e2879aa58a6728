"""Add Thai translations and recompile, safely while several people work in one tree.

    python manage.py translate_th strings.tsv     # lines: English source<TAB>Thai
    python manage.py translate_th --missing       # list source strings still without Thai

Runs makemessages (needs gettext), fills the given msgstrs, clears their fuzzy flag and
compiles the .mo file that is committed. An exclusive lock keeps concurrent runs apart.
"""

import fcntl
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PO = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES" / "django.po"
LOCK = Path(settings.BASE_DIR) / "locale" / ".lock"
IGNORE = [".venv", "var", "bench", "staticfiles", "tests", "node_modules"]


def missing_entries(po):
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


class Command(BaseCommand):
    help = "Extract messages, add Thai translations from a TSV file, and compile."
    # Django's system checks import every view (and what they render with): not needed here.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("tsv", nargs="?", help="English<TAB>Thai per line")
        parser.add_argument("--missing", action="store_true", help="only list untranslated strings")

    def handle(self, *args, tsv=None, missing=False, **options):
        LOCK.parent.mkdir(parents=True, exist_ok=True)
        with open(LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            call_command("makemessages", locale=["th"], ignore_patterns=IGNORE, no_obsolete=True,
                         verbosity=0)
            po = polib.pofile(str(PO))
            if tsv:
                pairs = {}
                for number, line in enumerate(Path(tsv).read_text(encoding="utf-8").splitlines(), 1):
                    if not line.strip() or line.startswith("#"):
                        continue
                    if "\t" not in line:
                        raise CommandError(f"{tsv}:{number}: expected English<TAB>Thai")
                    source, thai = line.split("\t", 1)
                    pairs[source.replace("\\n", "\n")] = thai.replace("\\n", "\n")
                for entry in po:
                    if entry.msgid in pairs:
                        if entry.msgid_plural:
                            entry.msgstr_plural = {0: pairs[entry.msgid]}
                        else:
                            entry.msgstr = pairs[entry.msgid]
                        if "fuzzy" in entry.flags:
                            entry.flags.remove("fuzzy")
                        entry.previous_msgid = None
                        entry.previous_msgid_plural = None
                po.save()
                call_command("compilemessages", locale=["th"], ignore_patterns=IGNORE, verbosity=0)
            left = missing_entries(po)
            for entry in left:
                self.stdout.write(entry.msgid)
            self.stderr.write(f"{len(left)} strings without Thai; {len(po) - len(left)} translated.")
