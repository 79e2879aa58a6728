"""Texts the system writes down once and people read later, in either language.

The official record is Thai (selection.services.RECORD_LANGUAGE): a screening reason, a
state named in the round's history, a member's role copied onto a meeting's attendance.
A reader who switched to English should still read what the system generated in English.

- `message(text, **values)` keeps a generated text as data: its English source (a string
  marked with gettext_noop, so makemessages finds it) and its values. A value that is
  itself translatable (a choice's label, another message) is kept as a nested message.
  `render(message)` writes it in the active language; store both the Thai rendering (for the
  record) and the message (for readers).
- `in_reader_language(text)` is for records that hold only the Thai text: when that text is
  exactly the Thai of a label the record is known to hold (the label of a model field's
  choice, such as a state, or a label a service declared with `recorded_labels`, such as a
  role title), the reader sees that label in their language; anything else (names, typed
  reasons, sentences with values) is returned as written.
"""

import functools

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

RECORD_LANGUAGE = "th"


def source_text(text):
    """The English source of a lazy translatable string (a choice's label)."""
    with translation.override(None):
        return str(text)


def message(text, **values):
    """A generated text as data: {"text": English source, "values": {name: value}}."""
    return {"text": source_text(text), "values": {name: _value(value) for name, value in values.items()}}


def _value(value):
    if isinstance(value, Promise):
        return {"text": source_text(value), "values": {}}
    if isinstance(value, dict):
        return value
    return value if isinstance(value, (int, float)) else str(value)


def render(msg):
    """The message in the active language."""
    if not isinstance(msg, dict):
        return str(msg)
    text = gettext(msg["text"])
    values = {name: render(value) if isinstance(value, dict) else value for name, value in msg["values"].items()}
    return text % values if values else text


def in_record_language(text, **values):
    """A text the system writes into the record (a log note), in Thai whatever the language of
    the page that acted; `text` is a source string marked with gettext_noop."""
    with translation.override(RECORD_LANGUAGE):
        return gettext(text) % values if values else gettext(text)


def reader_language():
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]


_declared = []


def recorded_labels(*labels):
    """Declare lazy labels a service writes into the record in Thai (besides the models'
    choices), so that in_reader_language can show them in the reader's language."""
    _declared.extend(labels)
    _recorded.cache_clear()


@functools.cache
def _recorded():
    """{Thai text: lazy label}: the declared labels first, then every model field's choices;
    where two labels share a Thai text, the first one is kept."""
    choices = [label for model in apps.get_models() for field in model._meta.get_fields()
               if getattr(field, "choices", None) for _value, label in field.flatchoices]
    found = {}
    with translation.override(RECORD_LANGUAGE):
        for label in [*_declared, *choices]:
            found.setdefault(str(label), label)
    return found


def in_reader_language(text):
    """A text the record holds in Thai, in the reader's language when it is a known label."""
    if not text or reader_language() == RECORD_LANGUAGE:
        return text
    label = _recorded().get(str(text).strip())
    return text if label is None else str(label)
