"""Filters for the meeting templates (meetings/thai.py):

- {{ text|typeset }} in the PDF templates: Thai lines break only between words, never inside a
  number or a unit the document builder marked (a name, a district, a code);
- {{ text|plain }}: the text without those marks, where no markup may go (a PDF's title);
- {{ text|web }} on the pages, for text from the document builder: each unit never wraps;
- {{ name|keep_whole }} on the pages, for a name read from the database: it never wraps.
"""

from django import template

from meetings import thai

register = template.Library()
register.filter("typeset", thai.typeset)
register.filter("plain", thai.plain)
register.filter("web", thai.web)
register.filter("keep_whole", thai.keep_whole)
