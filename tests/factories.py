"""Factories for the whole suite: build data the way the application would hold it."""

import factory
from django.core.files.base import ContentFile
from django.contrib.auth.models import Group, User

from producers.models import (
    Affiliation,
    Classification,
    District,
    Producer,
    ProducerType,
    Product,
    ProductPhoto,
    ProductType,
    Province,
    Standard,
    Subdistrict,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"ผู้ใช้{n}")
    last_name = "ทดสอบ"
    password = factory.django.Password("kbo-test-pass-2565")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """UserFactory(groups=["officer"])"""
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))

    @factory.post_generation
    def province(self, create, extracted, **kwargs):
        """UserFactory(province="51") works in Lamphun; province="national" at the national
        level; not given: no affiliation, the instance's own province."""
        if create and extracted:
            code = None if extracted == "national" else extracted
            Affiliation.objects.update_or_create(user=self, defaults={"province_id": code})


def chiang_mai():
    return Province.objects.get(code="50")


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    province = factory.LazyFunction(chiang_mai)
    code = factory.Sequence(lambda n: f"P50{n:05d}")
    name = factory.Sequence(lambda n: f"กลุ่มแม่บ้านทดสอบ {n}")
    producer_type = ProducerType.COMMUNITY_GROUP
    contact_name = "นางสมศรี ใจดี"
    phone = "0812345678"
    house_no = "12"
    village_no = 3
    district = factory.LazyFunction(lambda: District.objects.get(code="5001"))
    subdistrict = factory.LazyAttribute(lambda o: Subdistrict.objects.filter(district=o.district).first())
    postcode = factory.LazyAttribute(lambda o: o.subdistrict.postcode_list[0] if o.subdistrict else "")
    registration_year = 2560


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    producer = factory.SubFactory(ProducerFactory)
    code = factory.Sequence(lambda n: f"OTOP50{n:06d}")
    name = factory.Sequence(lambda n: f"ผ้าซิ่นตีนจก ลายทดสอบ {n}")
    product_type = ProductType.TEXTILE
    classification = Classification.D
    star_level = None
    star_year = None

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        """ProductFactory(standards=["อย.", "มผช."])"""
        if create and extracted:
            self.standards.add(*(Standard.objects.get_or_create(name=name)[0] for name in extracted))


def jpeg_bytes(color="#c0392b", size=(64, 48)):
    """A small real JPEG (what kbo_site.photos.prepare stores)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes(text="KBO"):
    """A small valid one-page PDF whose text (ASCII) pypdf reads back."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
               b"/Contents 5 0 R >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class ProductPhotoFactory(factory.django.DjangoModelFactory):
    """A stored product photo, as producers.services.add_product_photos leaves it."""

    class Meta:
        model = ProductPhoto

    product = factory.SubFactory(ProductFactory)
    image = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(size=(64, 48)), name="photo.jpg"))
    thumbnail = factory.LazyFunction(lambda: ContentFile(jpeg_bytes(size=(32, 24)), name="photo-thumb.jpg"))
    width = 64
    height = 48
    is_main = True
    uploaded_by = factory.SubFactory(UserFactory)


# Selection (issue 3) ------------------------------------------------------------------------

from django.utils.timezone import now as timezone_now  # noqa: E402


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "selection.Committee"

    name = "คณะกรรมการเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัดเชียงใหม่"


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "selection.CommitteeMember"

    committee = factory.SubFactory(CommitteeFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"
    position = "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน"
    scores = True
    order = factory.Sequence(lambda n: n)


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "selection.SelectionRound"

    committee = factory.SubFactory(CommitteeFactory)
    name = "KBO จังหวัดเชียงใหม่ ปี 2565"
    number = factory.Sequence(lambda n: n + 1)
    fiscal_year = 2565
    quota = 20
    reserves = 3


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "selection.Criterion"

    round = factory.SubFactory(SelectionRoundFactory)
    name = factory.Sequence(lambda n: f"เกณฑ์ {n}")
    max_score = 100
    weight = 1
    order = factory.Sequence(lambda n: n)


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "selection.Submission"

    round = factory.SubFactory(SelectionRoundFactory)
    product = factory.SubFactory(ProductFactory)
    eligible = True
    screened_at = factory.LazyFunction(timezone_now)


class SubmissionAttachmentFactory(factory.django.DjangoModelFactory):
    """A document (PDF) sent with an application; SubmissionAttachmentFactory(photo=True) a photo."""

    class Meta:
        model = "selection.SubmissionAttachment"

    class Params:
        photo = factory.Trait(
            kind="photo", title="ฉลากสินค้า", content_type="image/jpeg", original_name="label.jpg", width=64,
            height=48,
            file=factory.LazyFunction(lambda: ContentFile(jpeg_bytes(size=(64, 48)), name="label.jpg")),
            thumbnail=factory.LazyFunction(lambda: ContentFile(jpeg_bytes(size=(32, 24)), name="label-thumb.jpg")),
        )

    submission = factory.SubFactory(SubmissionFactory)
    kind = "document"
    title = "ใบรับรอง มผช."
    content_type = "application/pdf"
    original_name = "certificate.pdf"
    file = factory.LazyFunction(lambda: ContentFile(pdf_bytes("certificate"), name="certificate.pdf"))
    size = 600
    uploaded_by = factory.SubFactory(UserFactory)
