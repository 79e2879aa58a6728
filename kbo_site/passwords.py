"""Password rules: Django's list of common passwords, widened to the passwords people here
pick (kbo_site/common_passwords_th.txt), refused with a Thai message."""

import re
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

THAI_LIST = Path(__file__).resolve().parent / "common_passwords_th.txt"
SEPARATORS = re.compile(r"[\s._-]+")
# The word part of a password: without up to six digits or symbols before and after.
CORE = re.compile(r"[^a-z]{0,6}(.*?)[^a-z]{0,6}")
MAX_PIECES = 3
LONGEST_CHECKED = 64


def _key(text):
    return SEPARATORS.sub("", text.lower())


class ThaiCommonPasswordValidator(CommonPasswordValidator):
    """Refuses Django's common passwords as they are, and the words of our list (Thai
    provinces and places, Thai words in Latin letters, this system's words) ignoring case,
    spaces and separators, up to six digits or symbols around them, and two or three of them
    run together: "Chiang Mai", "chiangmai@2567", "kbo-otop", "sawasdee123"."""

    def __init__(self, password_list_path=CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH,
                 thai_list_path=THAI_LIST):
        super().__init__(password_list_path)
        lines = Path(thai_list_path).read_text(encoding="utf-8").splitlines()
        self.words = {_key(line) for line in lines if line.strip() and not line.startswith("#")}
        self.longest_word = max(map(len, self.words))

    def validate(self, password, user=None):
        core = CORE.fullmatch(_key(password)).group(1)
        if password.lower().strip() in self.passwords or (
                len(core) <= LONGEST_CHECKED and self._is_words(core, MAX_PIECES)):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def _is_words(self, text, pieces):
        if text in self.words:
            return True
        return pieces > 1 and any(
            text[:cut] in self.words and self._is_words(text[cut:], pieces - 1)
            for cut in range(1, min(len(text), self.longest_word + 1)))

    def get_error_message(self):
        return _("This password is too easy to guess: it is a common password, a Thai place name, "
                 "a Thai word in Latin letters or a word about this system.")

    def get_help_text(self):
        return _("Your password can’t be a common password, a Thai place name, a Thai word in Latin "
                 "letters or a word about this system, even with a few digits or symbols added.")
