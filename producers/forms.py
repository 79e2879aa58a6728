"""Registry forms. Every value is cleaned by `producers.cleaning`, the same functions the
workbook import uses, so "หมู่ 3", 2022, "๑๒/๑" or "อ.แม่ริม" mean the same typed or imported.
Every text input is normalised first (kbo_site.text: no control or bidi characters, NFC)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kbo_site.forms import VersionedForm
from producers.roles import NATIONAL, province_code
from kbo_site.text import NormalisedInputMixin

from . import cleaning
from .columns import DESCRIPTION_MAX, PRODUCER, PRODUCT, columns_of
from .models import Classification, Producer, ProducerType, Product, ProductType, Province, Subdistrict

BLANK = [("", "---------")]
STAR_CHOICES = [("", _("Unrated")), *[(str(n), f"{n} ★") for n in range(1, 6)]]


def user_province(user):
    """The user's Province, or None for a national user (who picks one in the form)."""
    code = province_code(user)
    return None if code is NATIONAL else Province.objects.get(code=code)


def province_field():
    return forms.ChoiceField(label=_("province"), choices=BLANK + list(
        Province.objects.order_by("code").values_list("code", "name_th")))


def label(model, name):
    return model._meta.get_field(name).verbose_name


def select(label, choices=(), required=True, **kwargs):
    """A drop-down whose value is validated by the shared cleaning function (clean_<field>),
    not by Django's choice check, so that typed and imported values meet the same rules."""
    return forms.CharField(label=label, required=required, max_length=300,
                           widget=forms.Select(choices=choices), **kwargs)


def subdistrict_choices(province, district_code=None):
    """The subdistricts of one district; without a district, all of the province's,
    grouped by district (so the form also works without JavaScript)."""
    subdistricts = Subdistrict.objects.filter(district__province=province).select_related("district")
    if district_code:
        return BLANK + [(s.code, s.name_th) for s in subdistricts.filter(district_id=district_code)]
    groups = {}
    for sub in subdistricts.order_by("district_id", "code"):
        groups.setdefault(sub.district.name_th, []).append((sub.code, sub.name_th))
    return BLANK + list(groups.items())


def initial_values(instance, side):
    """A record's stored values as its form shows them, for each column the import fills."""
    initial = {}
    for column in columns_of(side):
        if not column.written:
            continue
        field = column.model_field
        if field.many_to_many:
            value = ", ".join(str(item) for item in getattr(instance, field.name).all())
        else:
            value = getattr(instance, field.attname)
        initial[field.name] = "" if value is None else column.shown(value) if column.shown else value
    return initial


class ProducerForm(NormalisedInputMixin, VersionedForm):
    code = forms.CharField(label=label(Producer, "code"), max_length=100)
    name = forms.CharField(label=label(Producer, "name"), max_length=300)
    producer_type = select(label(Producer, "producer_type"), BLANK + ProducerType.choices)
    registration_year = forms.CharField(label=label(Producer, "registration_year"), max_length=20,
                                        help_text=_("Buddhist Era, e.g. 2560 (a CE year such as 2017 is converted)."))
    contact_name = forms.CharField(label=label(Producer, "contact_name"), max_length=300, required=False)
    phone = forms.CharField(label=label(Producer, "phone"), max_length=100, required=False)
    house_no = forms.CharField(label=label(Producer, "house_no"), max_length=100, required=False)
    village_no = forms.CharField(label=label(Producer, "village_no"), max_length=20, required=False,
                                 help_text=_("A number: 3, \"หมู่ 3\" or \"ม.3\"."))
    district = select(label(Producer, "district"))
    subdistrict = select(label(Producer, "subdistrict"), required=False)
    postcode = forms.CharField(label=label(Producer, "postcode"), max_length=20, required=False,
                               help_text=_("Left empty, it is taken from the subdistrict."))

    def __init__(self, *args, user, instance=None, initial_province=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {**initial_values(instance, PRODUCER), "version": instance.version}
        super().__init__(*args, **kwargs)
        self.choose_province = False
        if instance is not None:
            self.province = instance.province
        else:
            self.province = user_province(user)
            if self.province is None:
                # A national user creates a producer in the province they pick; its districts
                # and subdistricts are the only ones the form accepts.
                self.choose_province = True
                self.fields = {"province": province_field(), **self.fields}
                self.fields["province"].widget.attrs["data-reload-param"] = "province"
                chosen = self.data.get("province") if self.is_bound else initial_province
                self.province = Province.objects.filter(code=chosen).first() if chosen else None
                if self.province is not None:
                    self.initial["province"] = self.province.code
        # Two queries; resolving a district or subdistrict then costs nothing more.
        self.gazetteer = (cleaning.Gazetteer.for_province(self.province) if self.province is not None
                          else cleaning.Gazetteer(province=None))
        districts = sorted({d.code: d for d in self.gazetteer.districts_by_key.values()}.values(),
                           key=lambda d: d.code)
        self.fields["district"].widget.choices = BLANK + [(d.code, d.name_th) for d in districts]
        self.fields["district"].widget.attrs.update({
            # Reload the subdistrict options when the district changes.
            "hx-get": reverse_lazy("producers:subdistrict_options"),
            "hx-target": "#id_subdistrict",
            "hx-trigger": "change",
            "hx-swap": "innerHTML",
        })
        typed = self.data.get("district") if self.is_bound else self.initial.get("district")
        district_code = self._district_code(typed)
        self.fields["subdistrict"].widget.choices = subdistrict_choices(self.province, district_code)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            *(["province"] if self.choose_province else []),
            Fieldset(
                gettext("Producer"),
                Row(Column("code", css_class="col-md-4"), Column("name", css_class="col-md-8")),
                Row(Column("producer_type", css_class="col-md-8"), Column("registration_year", css_class="col-md-4")),
            ),
            Fieldset(
                gettext("Contact (personal data)"),
                Row(Column("contact_name", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            ),
            Fieldset(
                gettext("Address"),
                Row(Column("house_no", css_class="col-6 col-md-3"), Column("village_no", css_class="col-6 col-md-3")),
                Row(Column("district", css_class="col-md-4"), Column("subdistrict", css_class="col-md-4"),
                    Column("postcode", css_class="col-md-4")),
            ),
        )

    def _district_code(self, value):
        if self.province is None:
            return None
        try:
            return self.gazetteer.district(value).code
        except ValidationError:
            return None

    def clean_code(self):
        return cleaning.code(self.cleaned_data["code"])

    def clean_name(self):
        return cleaning.required_text(self.cleaned_data["name"])

    def clean_producer_type(self):
        return cleaning.producer_type(self.cleaned_data["producer_type"]).value

    def clean_registration_year(self):
        return cleaning.year_be(self.cleaned_data["registration_year"])

    def clean_contact_name(self):
        return cleaning.optional_text(self.cleaned_data["contact_name"])

    def clean_phone(self):
        return cleaning.phone(self.cleaned_data["phone"])

    def clean_house_no(self):
        return cleaning.house_no(self.cleaned_data["house_no"])

    def clean_village_no(self):
        return cleaning.village_no(self.cleaned_data["village_no"])

    def clean_district(self):
        if self.province is None:
            raise ValidationError(gettext("Choose the province first."))
        return self.gazetteer.district(self.cleaned_data["district"])

    def clean_postcode(self):
        return cleaning.postcode(self.cleaned_data["postcode"])

    def clean(self):
        data = super().clean()
        district = data.get("district")
        typed = data.pop("subdistrict", None)
        if district is not None:
            try:
                data["subdistrict"] = self.gazetteer.subdistrict(typed, district)
            except ValidationError as error:
                self.add_error("subdistrict", error)
        if "postcode" in data:
            try:
                data["postcode"] = cleaning.postcode_in(data["postcode"], data.get("subdistrict"))
            except ValidationError as error:
                self.add_error("postcode", error)
        return data


class ProductForm(NormalisedInputMixin, VersionedForm):
    producer = forms.CharField(label=label(Product, "producer"), max_length=100,
                               help_text=_("The producer's code, e.g. the one on the producer's page."))
    code = forms.CharField(label=label(Product, "code"), max_length=100)
    name = forms.CharField(label=label(Product, "name"), max_length=300)
    product_type = select(label(Product, "product_type"), BLANK + ProductType.choices)
    classification = select(label(Product, "classification"), BLANK + Classification.choices)
    star_level = select(label(Product, "star_level"), STAR_CHOICES, required=False)
    star_year = forms.CharField(label=label(Product, "star_year"), max_length=20, required=False,
                                help_text=_("The OPC selection year that gave the stars, e.g. 2562."))
    standards = forms.CharField(label=label(Product, "standards"), max_length=500, required=False,
                                help_text=_("Separate with commas, e.g. อย., มผช., GMP"))
    description = forms.CharField(
        label=label(Product, "description"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DESCRIPTION_MAX}),
        help_text=_("What the committee reads above the scoring rubric: what it is, what it is made of, what makes "
                    "it special. At most 500 characters; no names or phone numbers of people."))

    def __init__(self, *args, user, instance=None, producer=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"producer": instance.producer.code, **initial_values(instance, PRODUCT),
                                 "version": instance.version}
        elif producer is not None:
            kwargs.setdefault("initial", {})["producer"] = producer.code
        super().__init__(*args, **kwargs)
        self.choose_province = False
        if instance is not None:
            self.province = instance.producer.province
        else:
            self.province = user_province(user)
            if self.province is None:
                # Producer codes are unique within a province: a national user names the province.
                self.choose_province = True
                self.fields = {"province": province_field(), **self.fields}
                if producer is not None:
                    self.initial["province"] = producer.province_id
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Row(*([Column("province", css_class="col-md-4")] if self.choose_province else []),
                Column("producer", css_class="col-md-4"), Column("code", css_class="col-md-4")),
            "name",
            Row(Column("product_type", css_class="col-md-8"), Column("classification", css_class="col-md-4")),
            Row(Column("star_level", css_class="col-6 col-md-4"), Column("star_year", css_class="col-6 col-md-4")),
            "standards",
            "description",
        )

    def clean_province(self):
        self.province = Province.objects.get(code=self.cleaned_data["province"])
        return self.province

    def clean_producer(self):
        code = cleaning.code(self.cleaned_data["producer"])
        if self.province is None:
            raise ValidationError(gettext("Choose the province first."))
        producer = Producer.objects.filter(province=self.province, code=code).first()
        if producer is None:
            raise ValidationError(gettext("No producer has the code %(code)s. Add the producer first.")
                                  % {"code": code})
        return producer

    def clean_code(self):
        return cleaning.code(self.cleaned_data["code"])

    def clean_description(self):
        return cleaning.optional_text(self.cleaned_data["description"], max_length=DESCRIPTION_MAX)

    def clean_name(self):
        return cleaning.required_text(self.cleaned_data["name"])

    def clean_product_type(self):
        return cleaning.product_type(self.cleaned_data["product_type"]).value

    def clean_classification(self):
        return cleaning.classification(self.cleaned_data["classification"]).value

    def clean_star_level(self):
        return cleaning.star_level(self.cleaned_data["star_level"])

    def clean_star_year(self):
        return cleaning.year_be(self.cleaned_data["star_year"], required=False)

    def clean_standards(self):
        return cleaning.standards(self.cleaned_data["standards"])



# Photos --------------------------------------------------------------------------------------

# A phone camera's photo is 3–15 MB; a bigger upload is not a photo anyone took.
MAX_PHOTO_UPLOAD_BYTES = 30 * 1024 * 1024
MAX_PHOTOS_PER_UPLOAD = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one <input type=file multiple>; each is checked by its content later."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ProductPhotoForm(NormalisedInputMixin, forms.Form):
    """Photos of a product, from the phone's camera or its gallery, at full size: the server
    makes the small copies (kbo_site.photos.prepare). A file that is not a photo is refused by
    its content, with its name and the reason; the others are kept."""

    photos = MultiplePhotoField(label=_("Photos"),
                                help_text=_("Take photos with the phone's camera or choose them; send them at full "
                                            "size. The server keeps a smaller copy without the location."))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False,
                              help_text=_("Optional, e.g. \"the label\", \"the packaging\"."))

    def clean_photos(self):
        from kbo_site import photos

        files = self.cleaned_data["photos"]
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(gettext("Send at most %(count)d photos at a time.") % {"count": MAX_PHOTOS_PER_UPLOAD})
        self.prepared, self.refused = [], []
        for upload in files:
            if upload.size > MAX_PHOTO_UPLOAD_BYTES:
                self.refused.append((upload.name, gettext("The file is larger than %(size)d MB.") % {
                    "size": MAX_PHOTO_UPLOAD_BYTES // (1024 * 1024)}))
                continue
            try:
                self.prepared.append(photos.prepare(upload))
            except photos.PhotoError as error:
                self.refused.append((upload.name, str(error)))
        if not self.prepared:
            raise ValidationError([f"{name}: {message}" for name, message in self.refused])
        return files
