"""Workbook import pages. (Being built: see issue 2.)"""


def _todo(request, *args, **kwargs):
    raise NotImplementedError


upload = template_workbook = history = preview = confirm = discard = error_rows = _todo
