import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kbo_site import uploads
from kbo_site.forms import BEDateField, DotTimeField

from producers.models import Standard

from .models import (
    STATE_ORDER,
    Committee,
    CommitteeMember,
    ConflictType,
    DecisionKind,
    SelectionRound,
)
from .services import COPIED_SETTINGS

ROUND_SETTINGS = (
    "name", "number", "fiscal_year", "quota", "reserves",
    "rule_producer_type", "rule_registration", "registration_year_from", "registration_year_to",
    "rule_classification", "max_star_level", "rule_standards", "rule_one_per_producer",
    "min_scorers", "disagreement_threshold", "deciding", "tie_break_median", "tie_break_criterion",
)


class StartFromForm(forms.Form):
    """The round-create page's choice of an earlier round to copy (a GET form)."""

    copy = forms.ModelChoiceField(label=_("Copy from round"), queryset=None, empty_label=None)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy"].queryset = sources
        self.fields["copy"].label_from_instance = lambda r: f"{r.name} ({r.label}) · {r.committee.name}"


class RoundForm(forms.ModelForm):
    required_standards = forms.ModelMultipleChoiceField(
        queryset=Standard.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Required standards"))

    class Meta:
        model = SelectionRound
        fields = ("committee", "source_round", *ROUND_SETTINGS)

    def __init__(self, *args, committees=None, national=False, sources=None, source=None, chain_sources=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or chain_sources is None:
            # Where a round takes its entries from is decided when it is created.
            self.fields.pop("source_round")
        else:
            self.fields["source_round"].queryset = chain_sources
            self.fields["source_round"].label_from_instance = lambda r: f"{r.name} ({r.label})"
            self.fields["source_round"].empty_label = _("The registry (products submitted by code)")
            self.fields["source_round"].help_text = _(
                "A chained round takes its entries from an earlier approved round's selection, e.g. the showcase "
                "round that picks one of the developed products. That round's approved list is not changed.")
        if source is not None:
            # Copying an earlier round: its rules, rubric and committee come with it (shown
            # beside the form); only what names and sizes the new round is asked here.
            for name in (*COPIED_SETTINGS, "required_standards", "tie_break_criterion"):
                self.fields.pop(name, None)
            self.fields["copy_from"] = forms.ModelChoiceField(queryset=sources, widget=forms.HiddenInput,
                                                              initial=source.pk)
        if self.instance.pk:
            del self.fields["committee"]
            self.fields["tie_break_criterion"].queryset = self.instance.criteria.all()
            self.initial["required_standards"] = list(self.instance.required_standards.all())
        else:
            self.fields["committee"].queryset = (Committee.objects.all() if committees is None else committees
                                                 ).select_related("province")
            self.fields["committee"].label_from_instance = lambda c: (
                f"{c.name} ({c.province.name_th if c.province_id else _('national')})")
            if national:
                # A national user runs a round for one province, or the national contest: its
                # committee says which.
                self.fields["committee"].required = False
                self.fields["committee"].help_text = _("The committee of the province the round is for.")
                self.fields["national_contest"] = forms.BooleanField(
                    label=_("The national contest"), required=False,
                    help_text=_("Run by the national committee (created if there is none yet); its entries are "
                                "each province's chosen products."))
            else:
                self.fields["committee"].required = False
                self.fields["committee"].help_text = _("Leave empty to create the provincial KBO committee.")
            self.fields.pop("tie_break_criterion", None)
        if "tie_break_median" in self.fields:
            self.fields["tie_break_median"].help_text = _(
                "The tie-break rule is stated before scoring opens and printed with the results.")

    def clean(self):
        data = super().clean()
        source, committee = data.get("copy_from"), data.get("committee")
        if source is not None and committee is not None and committee.province_id != source.committee.province_id:
            self.add_error("committee", _("Choose a committee of the province of the round you copy from."))
        if "national_contest" in self.fields and not data.get("national_contest") and committee is None \
                and not self.has_error("committee"):
            self.add_error("committee", _("Choose the committee of the province the round is for, or tick the "
                                          "national contest."))
        chained = data.get("source_round")
        if chained is not None and data.get("national_contest"):
            self.add_error("source_round", _("A chained round takes its entries from a round of its own province; a "
                                             "national round takes them on its contest page."))
        elif chained is not None and committee is not None and committee.province_id != chained.committee.province_id:
            self.add_error("source_round", _("A chained round takes its entries from a round of its own province; a "
                                             "national round takes them on its contest page."))
        start, end = data.get("registration_year_from"), data.get("registration_year_to")
        if start and end and start > end:
            self.add_error("registration_year_to", _("The last year must not be before the first year."))
        return data

    def changes(self):
        return {name: self.cleaned_data[name] for name in (*ROUND_SETTINGS, "source_round")
                if name in self.cleaned_data}


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=255)
    max_score = forms.IntegerField(label=_("Maximum score"), min_value=1, max_value=1000)
    weight = forms.DecimalField(label=_("Weight"), min_value=Decimal("0.01"), max_digits=5, decimal_places=2,
                                initial=1)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class BaseCriterionFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this criterion")


# Three blank rows for a browser without JavaScript; with it, static/js/formset.js adds rows
# from the empty form without saving first.
CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=3, can_delete=True)


def criteria_initial(round):
    return [{"name": c.name, "max_score": c.max_score, "weight": c.weight, "description": c.description}
            for c in round.criteria.all()]


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ("user", "role", "position", "scores", "order")

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        taken = committee.members.values_list("user_id", flat=True)
        self.fields["user"].queryset = (get_user_model().objects.filter(is_active=True).exclude(pk__in=taken)
                                        .order_by("first_name", "username"))
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        self.instance.committee = committee


class BulkCodesForm(forms.Form):
    codes = forms.CharField(label=_("Product codes"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One code per line, or separated by spaces or commas."))


OVERRIDE_CHOICES = (("pass", _("Pass")), ("fail", _("Fail")), ("clear", _("Remove the override")))


class OverrideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Result"), choices=OVERRIDE_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("outcome") in ("pass", "fail") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Write the reason for the override."))
        return data

    @property
    def passed(self):
        return {"pass": True, "fail": False, "clear": None}[self.cleaned_data["outcome"]]


class ConflictForm(forms.Form):
    conflict_type = forms.ChoiceField(label=_("Type of conflict"), choices=ConflictType.choices,
                                      widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OfficerConflictForm(ConflictForm):
    member = forms.ModelChoiceField(label=_("Committee member"), queryset=CommitteeMember.objects.none())
    submission = forms.ModelChoiceField(label=_("Submission"), queryset=None)

    field_order = ("member", "submission", "conflict_type", "note")

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = CommitteeMember.objects.filter(committee_id=round.committee_id,
                                                                        scores=True).select_related("user")
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} ({m.get_role_display()})"
        self.fields["submission"].queryset = round.submissions.filter(eligible=True).select_related("product")
        self.fields["submission"].label_from_instance = lambda s: f"{s.product.code} {s.product.name}"


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    submission = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=DecisionKind.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    to_state = forms.ChoiceField(label=_("Reopen to"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = STATE_ORDER[:STATE_ORDER.index(round.state)]
        self.fields["to_state"].choices = [(s.value, s.label) for s in reversed(earlier)]
        self.fields["to_state"].initial = earlier[-1] if earlier else None


def score_field(criterion):
    return forms.DecimalField(
        label=criterion.name, required=False, min_value=0, max_value=criterion.max_score, max_digits=5,
        decimal_places=1,
        error_messages={
            "min_value": _("Enter a score from 0 to %(max)s.") % {"max": criterion.max_score},
            "max_value": _("Enter a score from 0 to %(max)s.") % {"max": criterion.max_score},
            "invalid": _("Enter a number from 0 to %(max)s.") % {"max": criterion.max_score},
            "max_decimal_places": _("Use at most one decimal place."),
            "max_digits": _("Enter a score from 0 to %(max)s.") % {"max": criterion.max_score},
        })


class _VersionField(forms.IntegerField):
    """The version a page was showing: anything but a whole number reads as 0 ("none yet"), which
    the service then refuses as stale if a score exists: never an error of its own."""

    def to_python(self, value):
        try:
            return super().to_python(value) or 0
        except forms.ValidationError:
            return 0


class ScoreEntriesForm(forms.Form):
    """One post of the scoring page. The phone's autosave posts one field (`value_<criterion>`
    with `version_<criterion>`, or `comment` with `comment_version`); without JavaScript the
    whole sheet comes at once. Only what was posted is bound, so a field left out is left alone.

    After is_valid(): `entries`, one per posted criterion in the rubric's order, each
    {"criterion", "value", "version"} or {"criterion", "error"}; and `comment`, None or
    {"text", "version"}. A score that does not parse is an entry's error, not the form's: the
    other fields of the same post are still saved."""

    comment_version = _VersionField(required=False)

    def __init__(self, data, *, criteria):
        super().__init__(data)
        self.criteria = [c for c in criteria if f"value_{c.pk}" in data]
        for criterion in self.criteria:
            self.fields[f"version_{criterion.pk}"] = _VersionField(required=False)
        self.entries, self.comment_entry = [], None

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            value, error = parse_score(criterion, self.data[f"value_{criterion.pk}"])
            entry = {"criterion": criterion}
            if error:
                entry["error"] = error
            else:
                entry.update(value=value, version=data.get(f"version_{criterion.pk}") or 0)
            self.entries.append(entry)
        if "comment" in self.data:
            self.comment_entry = {"text": self.data["comment"], "version": data.get("comment_version") or 0}
        return data


def parse_score(criterion, raw):
    """(value or None, error message or None), using the same field as the form."""
    field = score_field(criterion)
    try:
        return field.clean((raw or "").strip()), None
    except forms.ValidationError as error:
        return None, error.messages[0]



class ScoringDeadlineForm(forms.Form):
    """When scoring closes (a BE date and a time, 11/01/2565 16.00) and how long before it the
    members who have not submitted are reminded. Both left empty: no deadline."""

    date = BEDateField(label=_("Scoring closes on"), required=False)
    time = DotTimeField(label=_("at"), required=False)
    remind_before_hours = forms.IntegerField(
        label=_("Remind this many hours before"), min_value=0, max_value=168, initial=12,
        help_text=_("0: no automatic reminder; reminders can still be sent by hand."))

    def clean(self):
        data = super().clean()
        date, time = data.get("date"), data.get("time")
        if date and not time and "time" not in self.errors:
            self.add_error("time", _("Write the time scoring closes, e.g. 16.00."))
        elif time and not date and "date" not in self.errors:
            self.add_error("date", _("Write the date scoring closes."))
        return data

    @classmethod
    def for_round(cls, round, data=None):
        closes = round.scoring_closes_at and timezone.localtime(round.scoring_closes_at)
        initial = {"remind_before_hours": round.remind_before_hours}
        if closes:
            initial.update(date=closes.date(), time=closes.time())
        return cls(data, initial=initial)

    def closes_at(self):
        date, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if not (date and time):
            return None
        return timezone.make_aware(datetime.datetime.combine(date, time))


# A phone photo or a scanner's PDF of a few pages.
MAX_SCAN_BYTES = 20 * 1024 * 1024
SCAN_KINDS = (uploads.PDF, uploads.PNG, uploads.JPEG)


class PaperScanForm(forms.Form):
    """The scan of a member's signed paper sheet: PDF, PNG or JPEG, told by its content."""

    file = forms.FileField(label=_("scan of the signed sheet"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SCAN_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)d MB.") % {
                "size": MAX_SCAN_BYTES // (1024 * 1024)})
        self.kind = uploads.sniff(upload, upload.name)
        if self.kind not in SCAN_KINDS:
            raise forms.ValidationError(_("Attach the scan as a PDF, PNG or JPEG file."))
        return upload


# Material sent with an application (selection/attachments.py) ----------------------------------

MAX_ATTACHMENT_BYTES = 30 * 1024 * 1024
MAX_ATTACHMENTS_PER_UPLOAD = 10


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(_MultipleFileField, self).clean(f, initial) for f in files]


class AttachmentUploadForm(forms.Form):
    """Photos and documents sent with an application, each told by its content: a PDF is kept as
    it came; a picture (a photo of the label, a scanned certificate) as kbo_site.photos.prepare
    makes it (small, with a thumbnail, without the location). A file that is neither is refused
    with its name and the reason; the others are kept.

    After is_valid(): `prepared` holds (name, kind, content) for attachments.add_attachments
    (content: a kbo_site.photos.Photo, or the upload with its uploads.Kind); `refused` holds
    (name, message)."""

    files = _MultipleFileField(label=_("Files"),
                               help_text=_("Photos (JPEG, PNG, WebP) and documents (PDF), e.g. the label or the "
                                           "standard's certificate; several at once."))
    title = forms.CharField(label=_("title"), max_length=200, required=False,
                            help_text=_("Optional; the file's name is used when left empty."))

    def clean_files(self):
        from django.utils.translation import gettext

        from kbo_site import photos

        files = self.cleaned_data["files"]
        if len(files) > MAX_ATTACHMENTS_PER_UPLOAD:
            raise forms.ValidationError(gettext("Send at most %(count)d files at a time.")
                                        % {"count": MAX_ATTACHMENTS_PER_UPLOAD})
        self.prepared, self.refused = [], []
        for upload in files:
            if upload.size > MAX_ATTACHMENT_BYTES:
                self.refused.append((upload.name, gettext("The file is larger than %(size)d MB.") % {
                    "size": MAX_ATTACHMENT_BYTES // (1024 * 1024)}))
                continue
            kind = uploads.sniff(upload, upload.name)
            if kind == uploads.PDF:
                self.prepared.append((upload.name, kind, upload))
                continue
            try:
                self.prepared.append((upload.name, None, photos.prepare(upload)))
            except photos.PhotoError as error:
                message = (str(error) if kind in (uploads.PNG, uploads.JPEG)
                           else gettext("This kind of file cannot be attached. Send a PDF or a photo (JPEG, PNG, WebP)."))
                self.refused.append((upload.name, message))
        if not self.prepared:
            raise forms.ValidationError([f"{name}: {message}" for name, message in self.refused])
        return files
class TakeEntriesForm(forms.Form):
    """The approved round whose selection a chained or national round takes in."""

    source = forms.ModelChoiceField(label=_("Approved round"), queryset=None, empty_label=None)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda r: (
            f"{r.name} ({r.label}) · {r.committee.province.name_th}")
