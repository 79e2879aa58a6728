"""The demo's year of development (`build_demo --stage year`, issue 12): the 20 products the
committee approved at the minuted stage are developed through the fiscal year.

Each gets a plan of two to four items (some done, one or two late), two mentors (a committee
member of the network, and an outside expert: the demo login `mentor`, who is on no committee,
for four of them; a named lecturer without a login for the others), a budget and dates, three
visits with small photos drawn by Pillow, and, for the first eight, an "after" (the first three
also written into the registry). Every step goes through selection.development, as a person's
would; the build stays quick because the photos are small.
"""

import datetime
from decimal import Decimal
from io import BytesIO

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from kbo_site import lazy, photos

from . import development
from .models import DevelopmentArea, DevelopmentRecord, MentorKind, StatusStage, VisitKind

Image = lazy.module("PIL.Image")
ImageDraw = lazy.module("PIL.ImageDraw")

MENTOR_USERNAME = "mentor"
EXPERTS = (("ผศ.ดร.สุดารัตน์ แก้วมณี", "คณะอุตสาหกรรมเกษตร มหาวิทยาลัยเชียงใหม่"),
           ("อาจารย์ธนพล ศรีวงศ์", "ออกแบบบรรจุภัณฑ์ มหาวิทยาลัยแม่โจ้"),
           ("นางสาวปิยะนุช คำแสน", "การตลาดออนไลน์ สำนักงานพาณิชย์จังหวัด"))
PLANS = (
    (DevelopmentArea.PACKAGING, "ออกแบบฉลากและบรรจุภัณฑ์ใหม่ พร้อมตราสินค้า"),
    (DevelopmentArea.STANDARDS, "ยื่นขอ มผช. และเตรียมสถานที่ผลิตให้ได้ อย."),
    (DevelopmentArea.PRODUCTION, "ปรับขั้นตอนการผลิตให้คุณภาพสม่ำเสมอ"),
    (DevelopmentArea.COSTING, "คิดต้นทุนต่อหน่วยและตั้งราคาขายใหม่"),
    (DevelopmentArea.MARKETING, "เปิดร้านค้าออนไลน์และเพจ Facebook ของกลุ่ม"),
)
VISITS = (
    ("ลงพื้นที่สำรวจสถานที่ผลิตและพูดคุยกับสมาชิกกลุ่มถึงปัญหาของผลิตภัณฑ์", "จัดทำแผนพัฒนาร่วมกับกลุ่ม"),
    ("ให้คำปรึกษาการออกแบบฉลากและทดลองบรรจุภัณฑ์ตัวอย่าง", "กลุ่มส่งแบบฉลากที่แก้ไขแล้ว"),
    ("ติดตามผลการขายหลังเปิดช่องทางออนไลน์ และทบทวนต้นทุน", "สรุปผลการพัฒนาก่อนสิ้นปีงบประมาณ"),
)
COLOURS = ((214, 139, 72), (86, 150, 120), (70, 110, 170), (190, 80, 90), (150, 120, 60))


def _photo(seed, label):
    """A small drawn picture (a product on a table), prepared as an upload would be."""
    colour = COLOURS[seed % len(COLOURS)]
    image = Image.new("RGB", (480, 360), (236, 230, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 480, 360), fill=(170, 130, 95))
    draw.rounded_rectangle((150 + seed % 40, 90, 330 + seed % 40, 280), radius=18, fill=colour)
    draw.rectangle((180 + seed % 40, 150, 300 + seed % 40, 210), fill=(250, 248, 240))
    draw.text((190 + seed % 40, 170), label, fill=(40, 40, 40))
    out = BytesIO()
    image.save(out, "JPEG", quality=80)
    return photos.prepare(out)


def _mentor_user():
    user = User.objects.filter(username=MENTOR_USERNAME).first()
    if user is None:
        from producers.demo import DEMO_PASSWORD

        user = User.objects.create(username=MENTOR_USERNAME, first_name="ดร.อรุณี", last_name="ศรีสุข",
                                   email="mentor@kbo-demo.invalid", password=make_password(DEMO_PASSWORD))
    return user


# The development of the 20 runs from after the workshop (18–19 January 2565) to the end of March.
DEVELOPMENT_START = datetime.date(2022, 1, 20)
DEVELOPMENT_END = datetime.date(2022, 3, 31)


def build(rng, *, round, users, today=None):
    """Develop the approved round's products from January to March 2565: plans, mentors, three
    visits each, before and after. `today` (default: the end of March 2565) decides which
    items were done by then. Returns the records."""
    officer, committee = users["officer"], users["committee"]
    development.open_records(round, by=officer)
    records = list(DevelopmentRecord.objects.filter(round=round).select_related("product", "round__committee")
                   .order_by("rank", "pk"))
    today = today or DEVELOPMENT_END
    start = DEVELOPMENT_START
    days = (DEVELOPMENT_END - start).days
    expert_user = _mentor_user()
    for n, record in enumerate(records):
        # A committee member of the network, then an outside expert.
        development.add_mentor(record, user=committee[1 + n % 7], kind=MentorKind.NETWORK, by=officer)
        if n % 5 == 0:
            development.add_mentor(record, user=expert_user, kind=MentorKind.EXPERT,
                                   organisation="ที่ปรึกษาด้านมาตรฐานอาหาร", by=officer)
        else:
            name, organisation = EXPERTS[n % len(EXPERTS)]
            development.add_mentor(record, name=name, organisation=organisation, kind=MentorKind.EXPERT, by=officer)
        areas = rng.sample(range(len(PLANS)), rng.randint(2, 4))
        items = []
        for k, index in enumerate(sorted(areas)):
            area, text = PLANS[index]
            items.append({"pk": None, "area": area, "description": text,
                          "due_on": start + datetime.timedelta(days=min(days, 15 + 18 * k + rng.randint(0, 10)))})
        development.save_plan(record, goal="ยกระดับผลิตภัณฑ์ให้ได้มาตรฐานและเพิ่มยอดขาย",
                              budget=Decimal(rng.choice((15000, 20000, 25000, 30000))), starts_on=start,
                              ends_on=DEVELOPMENT_END, items=items, version=None, by=officer)
        for k, item in enumerate(record.items.all()):
            # Items whose date has passed are mostly done; one product in four has one late.
            # The first eight end the year with an "after": every item of theirs is done.
            if n < 8 or (item.due_on < today and not (n % 4 == 1 and k == 0)):
                development.set_item_done(item, done=True, on=min(today, item.due_on - datetime.timedelta(days=3)),
                                          by=officer)
        for k, (activities, next_steps) in enumerate(VISITS):
            mentor = committee[1 + n % 7] if k != 1 else officer
            development.record_visit(
                record, visited_on=start + datetime.timedelta(days=8 + 25 * k), kind=VisitKind.VISIT if k != 1
                else VisitKind.CONSULTATION, people=mentor.get_full_name(), activities=activities,
                next_steps=next_steps, photos=[_photo(n * 3 + k, record.product.code)], by=mentor)
        before = record.statuses.get(stage=StatusStage.BEFORE)
        development.record_status(record, StatusStage.BEFORE, by=officer, photo=_photo(n, "BEFORE"), values={
            "star_level": before.star_level, "star_year": before.star_year,
            "classification": before.classification, "standards": before.standards,
            "price_per_unit": Decimal(rng.choice((45, 60, 80, 120, 150, 250))),
            "monthly_sales": Decimal(rng.randrange(8000, 60000, 500)), "group_members": rng.randint(10, 45)})
        if n < 8:
            development.record_status(
                record, StatusStage.AFTER, by=officer, photo=_photo(n + 7, "AFTER"), update_registry=n < 3,
                values={"star_level": min(5, (before.star_level or 2) + 1), "star_year": 2565,
                        "classification": before.classification or "D",
                        "standards": sorted({*before.standards, "มผช."}),
                        "price_per_unit": Decimal(rng.choice((60, 90, 150, 180, 300))),
                        "monthly_sales": Decimal(rng.randrange(20000, 90000, 500)),
                        "group_members": rng.randint(12, 50)})
    return records


def login_line():
    from producers.demo import DEMO_PASSWORD

    user = User.objects.get(username=MENTOR_USERNAME)
    return f"{user.username:<10} / {DEMO_PASSWORD}   {user.get_full_name()}, ที่ปรึกษาภายนอก (ดูแลการพัฒนา 4 ผลิตภัณฑ์)"
