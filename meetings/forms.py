"""Meeting forms. Dates are typed and shown in the Buddhist Era (11/01/2565); times as 09.00."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kbo_site import uploads
from kbo_site.forms import BEDateField, DotTimeField, VersionedForm
from selection.models import CommitteeMember, SelectionRound

from .models import (
    FACTS_WITHOUT_ROUND,
    MAX_DISCUSSION,
    MAX_REASON,
    MAX_RESOLUTION,
    Activity,
    AgendaItem,
    AttendanceStatus,
    DocumentSettings,
    ItemKind,
    Meeting,
    MeetingState,
    ParticipantKind,
    RoundFacts,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Said in Thai by us: Django's own message for a text over its limit has no Thai translation.
TOO_LONG = _("At most %(limit_value)d characters (this has %(show_value)d). Shorten it, or attach the full text "
             "as a file.")


class LimitsSaid:
    """A form whose every text field says its length limit in the user's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = TOO_LONG


def member_label(member):
    return f"{member.full_name} – {member.position}" if member.position else member.full_name


class MeetingForm(LimitsSaid, forms.ModelForm):
    """The meeting's details. On creation, the committee is chosen; numbers default to the next."""

    date = BEDateField(label=_("date"))
    start_time = DotTimeField(label=_("start time"))
    opened_time = DotTimeField(label=_("meeting opened at"), required=False)
    closed_time = DotTimeField(label=_("meeting ended at"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = ("committee", "number", "year_be", "date", "start_time", "venue", "round", "chair", "secretary",
                  "opened_time", "closed_time", "recorder_name", "recorder_position", "checker_name",
                  "checker_position")

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        committee = committee or (self.instance.committee if self.instance.pk else None)
        if self.instance.pk:
            del self.fields["committee"]
            self.initial.setdefault("version", self.instance.version)
        else:
            for name in ("opened_time", "closed_time", "recorder_name", "recorder_position", "checker_name",
                         "checker_position", "chair", "secretary"):
                del self.fields[name]
            self.fields["number"].required = False
            self.fields["year_be"].required = False
            self.fields["number"].help_text = _("Leave empty for the next number in the year.")
            self.fields["year_be"].help_text = _("Leave empty for the year of the date.")
        if committee is not None:
            members = CommitteeMember.objects.filter(committee=committee).select_related("user")
            for name in ("chair", "secretary"):
                if name in self.fields:
                    self.fields[name].queryset = members
                    self.fields[name].label_from_instance = member_label
            self.fields["round"].queryset = SelectionRound.objects.filter(committee=committee)
        self.fields["venue"].widget.attrs["placeholder"] = _("e.g. the meeting room of the provincial hall")

    def clean(self):
        data = super().clean()
        if data.get("committee") and data.get("round") and data["round"].committee_id != data["committee"].pk:
            self.add_error("round", _("This round belongs to another committee."))
        return data

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.fields if name not in ("committee", "version")}


class AttendanceRowForm(LimitsSaid, forms.Form):
    status = forms.ChoiceField(label=_("attendance"), choices=AttendanceStatus.choices)
    stand_in_name = forms.CharField(label=_("stand-in's name"), max_length=255, required=False)
    stand_in_position = forms.CharField(label=_("stand-in's position"), max_length=255, required=False)
    reason = forms.CharField(label=_("reason"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == AttendanceStatus.STAND_IN and not data.get("stand_in_name", "").strip():
            self.add_error("stand_in_name", _("Write the name of the person standing in."))
        return data


def attendance_forms(rows, data=None):
    """One small form per member, prefixed by the attendance row's pk."""
    return [(row, AttendanceRowForm(data, prefix=f"a{row.pk}", initial={
        "status": row.status, "stand_in_name": row.stand_in_name, "stand_in_position": row.stand_in_position,
        "reason": row.reason})) for row in rows]


class GuestForm(LimitsSaid, forms.Form):
    name = forms.CharField(label=_("name"), max_length=255)
    position = forms.CharField(label=_("position"), max_length=255, required=False)


class ItemForm(LimitsSaid, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    facts = forms.MultipleChoiceField(label=_("shows from the selection round"), required=False,
                                      widget=forms.CheckboxSelectMultiple, choices=RoundFacts.choices)

    class Meta:
        model = AgendaItem
        fields = ("kind", "title", "body", "facts", "previous_meeting")
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"body": _("Printed in the agenda and the minutes: write what is put to the meeting. What the "
                                "chair announced and what was said go into the discussion, in the minutes only.")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous_meeting"].queryset = (
            Meeting.objects.filter(committee=meeting.committee_id).exclude(pk=meeting.pk)
            .filter(state__in=(MeetingState.CLOSED, MeetingState.MINUTES_APPROVED)))
        self.fields["previous_meeting"].label_from_instance = lambda m: _("Meeting %(label)s") % {"label": m.label}
        self.fields["previous_meeting"].help_text = _("For the approval of the previous minutes.")
        self.fields["facts"].choices = [
            c for c in RoundFacts.choices
            if meeting.round_id or c[0] in FACTS_WITHOUT_ROUND]
        self.fields["facts"].help_text = _("Shown live while the meeting is open, frozen when it closes.")
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def clean(self):
        data = super().clean()
        if data.get("previous_meeting") and data.get("kind") != ItemKind.PREVIOUS_MINUTES:
            self.add_error("previous_meeting", _("Only an item approving the previous minutes links a meeting."))
        return data

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ResolutionForm(LimitsSaid, VersionedForm):
    discussion = forms.CharField(label=_("discussion"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                 max_length=MAX_DISCUSSION,
                                 help_text=_("What the chair announced and what was said; in the minutes only."))
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                 max_length=MAX_RESOLUTION)
    votes_for = forms.IntegerField(label=_("in favour"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("abstentions"), min_value=0, required=False)


class AttachmentForm(LimitsSaid, forms.Form):
    title = forms.CharField(label=_("title"), max_length=255, required=False)
    file = forms.FileField(label=_("file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)d MB.") % {
                "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)})
        # By content, not by name: a program renamed to .pdf is still refused.
        self.kind = uploads.sniff(upload, upload.name)
        if self.kind is None:
            raise forms.ValidationError(_("This kind of file cannot be attached. Attach %(kinds)s files.") % {
                "kinds": uploads.ALLOWED_LABELS})
        return upload


class ActivityForm(LimitsSaid, forms.ModelForm):
    start_date = BEDateField(label=_("from"), required=False)
    end_date = BEDateField(label=_("until"), required=False)

    class Meta:
        model = Activity
        fields = ("title", "description", "start_date", "end_date", "whole_months", "venue", "responsible")
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if end and not start:
            self.add_error("start_date", _("Give the first day as well as the last."))
        elif start and end and end < start:
            self.add_error("end_date", _("The last day is before the first."))
        return data


class CloseForm(forms.Form):
    closed_time = DotTimeField(label=_("meeting ended at"))


class OpenForm(forms.Form):
    opened_time = DotTimeField(label=_("meeting opened at"), required=False)


class ReasonForm(LimitsSaid, forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_REASON)


class DocumentSettingsForm(LimitsSaid, forms.ModelForm):
    """A committee's house style for its agenda and minutes, and the signers its meetings start with."""

    class Meta:
        model = DocumentSettings
        fields = ("font_size_pt", "line_spacing", "margin_top_cm", "margin_bottom_cm", "margin_left_cm",
                  "margin_right_cm", "page_numbers", "thai_digits", "item_heading", "sub_item_numbering",
                  "recorder_name", "recorder_position", "checker_name", "checker_position")
        help_texts = {
            "font_size_pt": _("Official documents use 16 pt."),
            "recorder_name": _("Leave empty for the committee's secretary. Each meeting's own signers are edited "
                               "with its details."),
            "checker_name": _("Leave empty for the committee's chair."),
        }

    def clean(self):
        data = super().clean()
        for name in ("margin_top_cm", "margin_bottom_cm", "margin_left_cm", "margin_right_cm"):
            value = data.get(name)
            if value is not None and not 1 <= value <= 5:
                self.add_error(name, _("A margin is between 1 and 5 cm."))
        size = data.get("font_size_pt")
        if size is not None and not 12 <= size <= 20:
            self.add_error("font_size_pt", _("The font size is between 12 and 20 pt."))
        spacing = data.get("line_spacing")
        if spacing is not None and not 1 <= spacing <= 2:
            self.add_error("line_spacing", _("The line spacing is between 1 and 2 times the font size."))
        return data



# ---------------------------------------------------------------- workshops (meetings/workshops.py)

class WorkshopForm(LimitsSaid, forms.Form):
    title = forms.CharField(label=_("title"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    start_date = BEDateField(label=_("first day"))
    end_date = BEDateField(label=_("last day"), required=False,
                           help_text=_("Leave empty for a one-day workshop."))
    venue = forms.CharField(label=_("venue"), max_length=255)


class ParticipantForm(LimitsSaid, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[
        (ParticipantKind.NETWORK.value, ParticipantKind.NETWORK.label),
        (ParticipantKind.GUEST.value, ParticipantKind.GUEST.label)], initial=ParticipantKind.GUEST.value,
        widget=forms.Select(attrs={"class": "form-select"}))
    # Said by the service (meetings.workshops.add_participant), in the words of its other refusals.
    name = forms.CharField(label=_("name"), max_length=255, required=False)
    organisation = forms.CharField(label=_("position, group or organisation"), max_length=255, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)


class ParticipantEditForm(LimitsSaid, forms.Form):
    name = forms.CharField(label=_("name"), max_length=255, required=False)
    organisation = forms.CharField(label=_("position, group or organisation"), max_length=255, required=False)
    phone = forms.CharField(label=_("phone"), max_length=40, required=False)
