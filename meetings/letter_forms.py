"""Forms of the official letters (meetings/letters.py): the office's letterhead, the order
that appointed a committee, the memo's budget, and a cancellation's reason."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import BEDateField, LimitsSaid
from .letters import MAX_BUDGET
from .models import MAX_REASON, Appointment, Office


class OfficeForm(LimitsSaid, forms.ModelForm):
    class Meta:
        model = Office
        fields = ("name", "letter_code", "address", "unit", "phone", "head_name", "head_position", "unit_head_name",
                  "unit_head_position")
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "head_name": _("Signs the invitations; the memo is addressed to the head of office's position."),
            "unit_head_name": _("Signs the memo asking the head of office to approve a meeting."),
        }


class AppointmentEditForm(LimitsSaid, forms.ModelForm):
    signed_on = BEDateField(label=_("signed on"))

    class Meta:
        model = Appointment
        fields = ("form", "number", "signed_on", "preamble", "legal_basis", "duties", "assistant_secretaries",
                  "signer_name", "signer_position")
        widgets = {name: forms.Textarea(attrs={"rows": 4})
                   for name in ("preamble", "legal_basis", "duties", "assistant_secretaries")}


BUDGET_MESSAGE = _("Give the budget in baht (0 when the meeting needs none).")


class MemoForm(forms.Form):
    budget = forms.DecimalField(
        label=_("budget (baht)"), min_value=Decimal(0), max_value=MAX_BUDGET, max_digits=12, decimal_places=2,
        help_text=_("0 when the meeting needs no budget."),
        error_messages={key: BUDGET_MESSAGE for key in ("required", "invalid", "min_value", "max_value", "max_digits",
                                                         "max_decimal_places", "max_whole_digits")})
    budget_source = forms.CharField(label=_("from the budget of"), max_length=255, required=False)


class CancelLetterForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=MAX_REASON)
