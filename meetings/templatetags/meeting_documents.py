"""Filters for the PDF templates: {{ text|typeset }} breaks Thai lines only between words,
{{ name|keep_words }} keeps each part of a person's name whole (meetings/thai.py)."""

from django import template

from meetings import thai

register = template.Library()
register.filter("typeset", thai.typeset)
register.filter("keep_words", thai.keep_words)
