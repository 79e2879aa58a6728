"""Forms of the development pages (issue 12). Star levels, classifications, standards and BE
years are read by producers.cleaning, as the registry's forms and import read them; photos are
read by kbo_site.photos (by content, resized, without their metadata)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kbo_site import photos
from kbo_site.forms import BEDateField, VersionedForm
from kbo_site.text import NormalisedInputMixin
from producers import cleaning
from producers.forms import STAR_CHOICES
from producers.models import Classification

from .models import DevelopmentArea, MentorKind, StatusStage, VisitKind

BLANK = [("", "---------")]
# Photos per visit form: each is decoded and resized while the request waits.
MAX_PHOTOS = 10


class PlanForm(NormalisedInputMixin, VersionedForm):
    goal = forms.CharField(label=_("Goal of the development"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    budget = forms.DecimalField(label=_("Budget (THB)"), required=False, min_value=0, max_digits=12,
                                decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                                                  "step": "0.01"}))
    starts_on = BEDateField(label=_("Starts on"), required=False)
    ends_on = BEDateField(label=_("Ends on"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class PlanItemForm(NormalisedInputMixin, forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.ChoiceField(label=_("What to develop"), choices=BLANK + DevelopmentArea.choices)
    description = forms.CharField(label=_("Details"), max_length=500, required=False)
    due_on = BEDateField(label=_("Target date"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].widget.attrs["class"] = "form-control"


class BasePlanItemFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this item")

    def items(self):
        """The kept rows, in order, as development.save_plan takes them."""
        return [{name: form.cleaned_data.get(name) for name in ("pk", "area", "description", "due_on")}
                for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]


# Three blank rows without JavaScript; with it, static/js/formset.js adds rows.
PlanItemFormSet = forms.formset_factory(PlanItemForm, formset=BasePlanItemFormSet, extra=3, can_delete=True)


def plan_initial(record):
    return [{"pk": i.pk, "area": i.area, "description": i.description, "due_on": i.due_on}
            for i in record.items.all()]


def mentor_candidates(province_code):
    """Users who may be named as mentors: active, of the round's province (or without an
    affiliation, i.e. of this instance's province)."""
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(affiliation__isnull=True) | Q(affiliation__province_id=province_code))
            .order_by("first_name", "last_name", "username"))


class MentorForm(NormalisedInputMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("A user (sees this product and records visits)"), required=False,
                                  queryset=get_user_model().objects.none())
    name = forms.CharField(label=_("Or a name (no login)"), required=False, max_length=255)
    organisation = forms.CharField(label=_("Organisation or expertise"), required=False, max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=MentorKind.choices, initial=MentorKind.NETWORK)

    def __init__(self, *args, province_code, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = mentor_candidates(province_code)
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        if not data.get("user") and not data.get("name"):
            raise forms.ValidationError(_("Choose a user or write the mentor's name."))
        return data


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos; each is prepared (kbo_site.photos.prepare) while the form is
    cleaned, so a bad one is reported before anything is saved."""

    widget = MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS})
        prepared = []
        for upload in files:
            try:
                prepared.append(photos.prepare(upload))
            except photos.PhotoError as error:
                raise forms.ValidationError(f"{upload.name}: {error}") from None
        return prepared


class VisitForm(NormalisedInputMixin, forms.Form):
    visited_on = BEDateField(label=_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices, initial=VisitKind.VISIT,
                             widget=forms.RadioSelect)
    people = forms.CharField(label=_("Who went"), max_length=500)
    activities = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField(label=_("Photos"), required=False)

    @classmethod
    def initial_for(cls, user):
        return {"visited_on": timezone.localdate(), "people": user.get_full_name() or user.username,
                "kind": VisitKind.VISIT}


class StatusForm(NormalisedInputMixin, forms.Form):
    star_level = forms.CharField(label=_("OPC star level"), required=False, widget=forms.Select(choices=STAR_CHOICES))
    star_year = forms.CharField(label=_("Selection year (BE)"), required=False, max_length=20)
    classification = forms.CharField(label=_("Classification"), required=False,
                                     widget=forms.Select(choices=BLANK + Classification.choices))
    standards = forms.CharField(label=_("Standards held"), required=False, max_length=500,
                                help_text=_("Separate with commas, e.g. อย., มผช., GMP"))
    price_per_unit = forms.DecimalField(label=_("Price per unit (THB)"), required=False, min_value=0, max_digits=10,
                                        decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                                                          "step": "0.01"}))
    monthly_sales = forms.DecimalField(label=_("Monthly sales (THB)"), required=False, min_value=0, max_digits=12,
                                       decimal_places=2, widget=forms.NumberInput(attrs={"inputmode": "decimal",
                                                                                         "step": "0.01"}))
    group_members = forms.IntegerField(label=_("Members of the group"), required=False, min_value=0,
                                       max_value=100000, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    photo = PhotosField(label=_("Packaging photo"), required=False)
    update_registry = forms.BooleanField(
        label=_("Also write the star level, classification and standards into the registry"), required=False)

    def __init__(self, *args, stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget = forms.ClearableFileInput(attrs={"accept": "image/*"})
        if stage != StatusStage.AFTER:
            del self.fields["update_registry"]

    @classmethod
    def initial_for(cls, status):
        if status is None:
            return {}
        return {"star_level": "" if status.star_level is None else str(status.star_level),
                "star_year": status.star_year or "", "classification": status.classification,
                "standards": ", ".join(status.standards), "price_per_unit": status.price_per_unit,
                "monthly_sales": status.monthly_sales, "group_members": status.group_members}

    def clean_star_level(self):
        return cleaning.star_level(self.cleaned_data["star_level"])

    def clean_star_year(self):
        return cleaning.year_be(self.cleaned_data["star_year"], required=False)

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        return cleaning.classification(value).value if value else ""

    def clean_standards(self):
        return cleaning.standards(self.cleaned_data["standards"])

    def clean_photo(self):
        prepared = self.cleaned_data["photo"]
        return prepared[0] if prepared else None

    def clean(self):
        data = super().clean()
        if data.get("update_registry") and not data.get("classification"):
            self.add_error("classification", _("Give the classification to update the registry."))
        return data
