"""Form pieces shared by the apps."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from kbo_site import thaidates
from kbo_site.thaidates import parse_date, parse_time


class VersionedForm(forms.Form):
    # The version the form was opened at: a save from a stale copy is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def set_version(self, version):
        """After a refused stale save, the next submit is made against what is saved now."""
        self.data = self.data.copy()
        self.data["version"] = version


class BEDateInput(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value.day:02d}/{value.month:02d}/{thaidates.be_year(value.year)}"
        return value


class BEDateField(forms.DateField):
    """A date typed in the Buddhist Era, e.g. 11/01/2565 or 11 มกราคม 2565."""

    widget = BEDateInput(attrs={"placeholder": _("dd/mm/yyyy (BE)"), "inputmode": "numeric"})
    default_error_messages = {"invalid": _("Write the date as day/month/BE year, e.g. 11/01/2565.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DotTimeInput(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, datetime.time):
            return f"{value.hour:02d}.{value.minute:02d}"
        return value


class DotTimeField(forms.TimeField):
    """A time typed the Thai way, e.g. 09.00."""

    widget = DotTimeInput(attrs={"placeholder": "09.00", "inputmode": "decimal"})
    default_error_messages = {"invalid": _("Write the time as hours.minutes, e.g. 09.00.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        try:
            return parse_time(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
