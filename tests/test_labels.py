"""The Thai labels people read, checked on the pages where they read them.

A wrong translation ("ที่อยู่ IP" on a producer's address: one English word, "Address", shared
with the lock-out list's IP address) or a string left in English passes every status-code
test. This table names the labels a committee officer would expect on each page; the page
must show each one exactly as a label (a form label, a column or row heading, a tab), and no
Thai page may show a known-wrong text or a label without a Thai word.
"""

import datetime
import re

import lxml.html
import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from meetings import services as meeting_services
from selection.models import CommitteeRole, RoundState
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    ProductFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)

# (page, who reads it, the Thai labels that page must show)
EXPECTED_LABELS = [
    ("producer_detail", "officer", ["ประเภทผู้ผลิต", "ปีที่ลงทะเบียน (พ.ศ.)", "ที่อยู่", "ชื่อผู้ติดต่อ",
                                    "เบอร์โทรศัพท์", "รหัสผลิตภัณฑ์", "ชื่อผลิตภัณฑ์", "ประเภทผลิตภัณฑ์",
                                    "มาตรฐานผลิตภัณฑ์"]),
    ("producer_edit", "officer", ["รหัสผู้ผลิต", "ชื่อผู้ผลิต", "ประเภทผู้ผลิต", "ที่อยู่", "บ้านเลขที่", "หมู่ที่",
                                  "อำเภอ", "ตำบล", "รหัสไปรษณีย์", "ชื่อผู้ติดต่อ", "เบอร์โทรศัพท์"]),
    ("producer_create", "officer", ["รหัสผู้ผลิต", "ชื่อผู้ผลิต", "ที่อยู่", "บ้านเลขที่", "หมู่ที่", "อำเภอ",
                                    "ตำบล", "รหัสไปรษณีย์"]),
    ("product_edit", "officer", ["ผู้ผลิต", "รหัสผลิตภัณฑ์", "ชื่อผลิตภัณฑ์", "ประเภทผลิตภัณฑ์", "กลุ่มผลิตภัณฑ์",
                                 "ระดับดาว", "ปีที่คัดสรร (พ.ศ.)", "มาตรฐานผลิตภัณฑ์"]),
    ("product_create", "officer", ["ผู้ผลิต", "รหัสผลิตภัณฑ์", "ชื่อผลิตภัณฑ์", "ประเภทผลิตภัณฑ์",
                                   "กลุ่มผลิตภัณฑ์", "ระดับดาว"]),
    ("product_list", "officer", ["อำเภอ", "ประเภทผู้ผลิต", "ประเภทผลิตภัณฑ์", "กลุ่มผลิตภัณฑ์", "ระดับดาว",
                                 "รหัสผลิตภัณฑ์", "ชื่อผลิตภัณฑ์", "ผู้ผลิต"]),
    ("producer_list", "officer", ["อำเภอ", "ประเภทผู้ผลิต", "รหัสผู้ผลิต", "ชื่อผู้ผลิต"]),
    ("round_detail", "officer", ["ภาพรวม", "ผลิตภัณฑ์ที่ส่ง", "ตรวจคุณสมบัติ", "ผลการจัดอันดับ", "ประวัติ",
                                 "หลักเกณฑ์คุณสมบัติ", "เกณฑ์การให้คะแนน", "คณะกรรมการ"]),
    ("submission_list", "officer", ["รหัส", "ผลิตภัณฑ์", "อำเภอ"]),
    ("screening_summary", "officer", ["หลักเกณฑ์คุณสมบัติของรอบนี้", "ผลิตภัณฑ์", "ผู้ผลิต", "อำเภอ",
                                      "ผลและเหตุผล"]),
    ("round_history", "officer", ["ประวัติ"]),
    ("score_form", "member", ["ความเห็น (ไม่บังคับ)"]),
    ("meeting_detail", "officer", ["การเข้าประชุม", "ชื่อ", "ตำแหน่ง", "ระเบียบวาระการประชุม", "ประวัติ"]),
    ("meeting_edit", "officer", ["ครั้งที่", "ปี (พ.ศ.)", "วันที่", "เวลาเริ่ม", "สถานที่", "ประธาน",
                                 "เลขานุการ"]),
]

# Texts that must never appear on a Thai page: known mistranslations and English left over.
KNOWN_WRONG = ["ที่อยู่ IP", "optional", "required", "None", "True", "False"]
# Labels that are rightly written without a Thai word.
LATIN_LABELS = {"#", "KBO", "OTOP", "OPC", "PDF", "DOCX", "ODT", "Excel", "SD", "‹", "›", "×"}
THAI = re.compile(r"[\u0E00-\u0E7F]")
LABEL_XPATH = ("//main//label | //main//th | //main//dt | //main//legend | //main//h1 | //main//h2"
               " | //main//h3 | //main//button | //main//a[contains(@class, 'nav-link')]")


@pytest.fixture
def world(db, make_user):
    """A producer with a product, submitted to a round in scoring, and a meeting of its committee."""
    officer = make_user("officer")
    committee = CommitteeFactory()
    CommitteeMemberFactory(committee=committee, role=CommitteeRole.CHAIR, order=0)
    member = CommitteeMemberFactory(committee=committee, order=1, user=UserFactory(username="member-labels"))
    CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False, order=2)
    round_ = SelectionRoundFactory(committee=committee, state=RoundState.SCORING)
    CriterionFactory(round=round_, name="คุณภาพผลิตภัณฑ์", max_score=45)
    product = ProductFactory(standards=["อย."])
    submission = SubmissionFactory(round=round_, product=product)
    meeting = meeting_services.create_meeting(committee, by=officer, date=datetime.date(2022, 1, 11),
                                              start_time=datetime.time(9, 0), venue="ห้องประชุมศาลากลาง",
                                              round=round_)
    return {"officer": officer, "member": member.user, "producer": product.producer, "product": product,
            "round": round_, "submission": submission, "meeting": meeting}


def page_url(screen, world):
    producer, product, round_, meeting = world["producer"], world["product"], world["round"], world["meeting"]
    return {
        "producer_detail": reverse("producers:producer_detail", args=[producer.pk]),
        "producer_edit": reverse("producers:producer_edit", args=[producer.pk]),
        "producer_create": reverse("producers:producer_create"),
        "product_edit": reverse("producers:product_edit", args=[product.pk]),
        "product_create": reverse("producers:product_create"),
        "product_list": reverse("producers:product_list"),
        "producer_list": reverse("producers:producer_list"),
        "round_detail": reverse("selection:round_detail", args=[round_.pk]),
        "submission_list": reverse("selection:submission_list", args=[round_.pk]),
        "screening_summary": reverse("selection:screening_summary", args=[round_.pk]),
        "round_history": reverse("selection:history", args=[round_.pk]),
        "score_form": reverse("selection:score_form", args=[round_.pk, world["submission"].pk]),
        "meeting_detail": reverse("meetings:detail", args=[meeting.pk]),
        "meeting_edit": reverse("meetings:edit", args=[meeting.pk]),
    }[screen]


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    document = lxml.html.fromstring(response.content)
    for hidden in document.xpath("//script | //style | //template"):
        hidden.drop_tree()
    return document


def labels_of(document):
    """Each label's text, whitespace collapsed, without the required-field star."""
    texts = (" ".join(element.text_content().split()) for element in document.xpath(LABEL_XPATH))
    return {text.rstrip("*").strip() for text in texts if text}


def readable_text(document):
    """What a person reads: the text, and the placeholders, titles and accessible names."""
    parts = [" ".join(" ".join(document.itertext()).split())]
    for attribute in ("placeholder", "title", "aria-label"):
        parts += document.xpath(f"//@{attribute}")
    return "\n".join(parts)


@pytest.mark.parametrize(("screen", "reader", "expected"), EXPECTED_LABELS, ids=[row[0] for row in EXPECTED_LABELS])
def test_thai_page_shows_the_expected_labels(client, world, screen, reader, expected):
    client.force_login(world[reader])

    labels = labels_of(fetch(client, page_url(screen, world)))

    assert [label for label in expected if label not in labels] == []


@pytest.mark.parametrize(("screen", "reader"), [row[:2] for row in EXPECTED_LABELS],
                         ids=[row[0] for row in EXPECTED_LABELS])
def test_thai_page_has_no_known_wrong_text(client, world, screen, reader):
    client.force_login(world[reader])

    text = readable_text(fetch(client, page_url(screen, world)))

    assert [wrong for wrong in KNOWN_WRONG if re.search(rf"(?<!\w){re.escape(wrong)}(?!\w)", text)] == []


@pytest.mark.parametrize(("screen", "reader"), [row[:2] for row in EXPECTED_LABELS],
                         ids=[row[0] for row in EXPECTED_LABELS])
def test_thai_page_labels_are_all_thai(client, world, screen, reader):
    client.force_login(world[reader])

    labels = labels_of(fetch(client, page_url(screen, world)))

    untranslated = sorted(label for label in labels
                          if not THAI.search(label) and label not in LATIN_LABELS and re.search(r"[A-Za-z]", label)
                          and not _is_data(label, world))
    assert untranslated == []


def _is_data(label, world):
    """Codes and names typed by people may be Latin (a product code as a row heading)."""
    return label in {world["product"].code, world["producer"].code, world["round"].name}


def test_lockout_list_names_the_ip_address(admin_client):
    AccessAttempt.objects.create(username="officer-a", ip_address="203.0.113.7", user_agent="", http_accept="",
                                 path_info="/accounts/login/", failures_since_start=2)

    labels = labels_of(fetch(admin_client, reverse("lockout_list")))

    assert "ที่อยู่ IP" in labels
