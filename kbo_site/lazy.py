"""Heavy libraries imported when first used, not when the module naming them is imported.

WeasyPrint, python-docx, odfdo and openpyxl's writer take about a second to import together.
Django's URL checks import every view, and the views import the modules that render
documents: without this, a page that renders nothing and a management command would pay for
them all at start-up.

    weasyprint = lazy.module("weasyprint")                # instead of: import weasyprint
    Cm = lazy.name("docx.shared", "Cm")                   # instead of: from docx.shared import Cm

The stand-in imports the library on its first attribute or call and forwards to it: the
module's own code reads as if the import were at the top. A name used as a base class or in
isinstance() must be imported for real where it is used instead.
"""

import importlib


class _Lazy:
    __slots__ = ("_module", "_name", "_target")

    def __init__(self, module, name=None):
        self._module, self._name, self._target = module, name, None

    def _resolve(self):
        if self._target is None:
            target = importlib.import_module(self._module)
            self._target = getattr(target, self._name) if self._name else target
        return self._target

    def __getattr__(self, attribute):
        return getattr(self._resolve(), attribute)

    def __call__(self, *args, **kwargs):
        return self._resolve()(*args, **kwargs)

    def __repr__(self):
        return f"<lazy {self._module}{'.' + self._name if self._name else ''}>"


def module(dotted):
    """A module, imported when one of its attributes is first read."""
    return _Lazy(dotted)


def name(dotted, attribute):
    """A function, class or value of a module, imported when first called or read."""
    return _Lazy(dotted, attribute)
