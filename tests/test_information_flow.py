"""What each role can read, proven by content.

The permission table (tests/test_permissions.py) says who gets which status code. This test
says who can *read* what: it plants a unique marker in every secret of the permission world,
then, as each role, fetches every GET row of the permission table with its real ids, follows
every same-site link and htmx URL found on the pages it reaches (GET only, bounded), downloads
every export and document (.xlsx, .pdf, .docx, .odt) and reads the text out of each. A marker
found where the rules below say it must not be is a leak.

A new URL is covered as soon as it has a permission row (the table fails without one) or is
linked from a page; a new field shown on a page is covered because the pages are read whole.
"""

import datetime
import html
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from kbo_site.actions import log_for
from kbo_site.models import Action
from meetings.models import AgendaItem, Letter, LetterKind, Participant
from producers.models import District, ProductPhoto, Province
from selection import services as selection_services
from selection.models import CommitteeRole, Conflict, DevelopmentRecord, PlanItem, RoundState, ScoreComment
from selection.scoring_views import OFFLINE_HEADER
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    ProducerFactory,
    ProductFactory,
    ProductPhotoFactory,
    SelectionRoundFactory,
    SubmissionAttachmentFactory,
    SubmissionFactory,
    UserFactory,
    pdf_bytes,
)
from tests.permissions import ANONYMOUS, NATIONAL, OTHER_PROVINCE, OTHER_PROVINCE_CODE, REGISTRY_ROLES
from tests.selection.development_world import approved_round
from tests.test_permissions import CASES, EXTRA_ROLES, MODULES, _user_for

SUBMITTED = "member_submitted"
ROLES = (ANONYMOUS, *REGISTRY_ROLES, *EXTRA_ROLES, NATIONAL, OTHER_PROVINCE, SUBMITTED)

# Kinds of secret, and who may read each, in words a committee would agree to.
SCORE_WHILE_SCORING = "a member's score or comment while scoring is open"
SCORE_AFTER_CLOSE = "a member's score once the chair has closed scoring"
CONFLICT_NOTE = "a conflict-of-interest note"
CONTACT = "a producer's contact name or phone number"
DRAFT_MEETING = "a draft agenda or draft minutes"
OTHER_PROVINCE_RECORD = "a record of another province"
OFFICE_MEMO = "the office's memo asking approval of a meeting and its budget"
PRODUCT_PHOTO = "a product's photo (its caption) in the registry"
ENTRY_MATERIAL = "the photos and documents sent with an entry of the round"
OTHER_ROUND_MATERIAL = "the material of an entry of another committee's round"
OTHER_ROUND_PHOTO = "a product's photo (its caption), the product an entry of another committee's round"
DEVELOPMENT = "a selected product's development: its plan, visits and figures"
WORKSHOP_PARTICIPANT = "a workshop participant's name"
WORKSHOP_PHONE = "a workshop participant's phone number"
CONTEST_CHIANG_MAI = "Chiang Mai's entry's result in the national contest"
CONTEST_LAMPHUN = "Lamphun's entry in the national contest, and its result"

OFFICERS = {"officer", "admin", NATIONAL}
ROUND_COMMITTEE = {"chair", "member", "secretary", SUBMITTED}
MEETING_COMMITTEE = {"meeting_chair", "meeting_member", "meeting_secretary"}
CONTEST = {NATIONAL, "contest_chair"}

RULES = {
    # A member sees their own scores and comments at any time; nobody else while scoring is open
    # (after submitting, the others' scores only in aggregate).
    SCORE_WHILE_SCORING: lambda role, owner: role == owner,
    # Once scoring is closed, everyone who sees the round sees each member's scores, except a
    # member who declared a conflict with that submission.
    SCORE_AFTER_CLOSE: lambda role, conflicted: (role in ROUND_COMMITTEE | OFFICERS) and role != conflicted,
    # Conflict notes: the chair, the secretary and the officers (and the member who declared it).
    CONFLICT_NOTE: lambda role, owner: role in {"chair", "secretary"} | OFFICERS or role == owner,
    # Contacts: officers and admins of the producer's province, and national officers.
    CONTACT: lambda role, _: role in OFFICERS,
    # Draft agenda and minutes: the meeting's committee and the officers of its province.
    DRAFT_MEETING: lambda role, _: role in MEETING_COMMITTEE | OFFICERS,
    # The memo to the head of office: those who issue the committee's letters (officers, the secretary).
    OFFICE_MEMO: lambda role, _: role in {"meeting_secretary"} | OFFICERS,
    # A workshop's participants: those who organise it (officers) and the committee's chair and
    # secretary, who follow it; their phone numbers: the officers only.
    WORKSHOP_PARTICIPANT: lambda role, _: role in {"meeting_chair", "meeting_secretary"} | OFFICERS,
    WORKSHOP_PHONE: lambda role, _: role in OFFICERS,
    # Another province sees nothing: a Lamphun record is for Lamphun's users and national ones.
    OTHER_PROVINCE_RECORD: lambda role, _: role in {OTHER_PROVINCE, NATIONAL},
    # A product's photos: whoever reads the registry, and the committee of a round it is an entry of.
    PRODUCT_PHOTO: lambda role, _: role in {"viewer"} | OFFICERS | ROUND_COMMITTEE,
    # What was sent with an application: the officers and the round's committee.
    ENTRY_MATERIAL: lambda role, _: role in OFFICERS | ROUND_COMMITTEE,
    # Another committee's round: its officers only (not this round's committee).
    OTHER_ROUND_MATERIAL: lambda role, _: role in OFFICERS,
    # The registry's readers see a product's photos whatever round it is in; not this round's committee.
    OTHER_ROUND_PHOTO: lambda role, _: role in {"viewer"} | OFFICERS,
    # A product's development: the province's officers (and national ones), the round's committee,
    # and the product's own mentor; a mentor off the committee reads no other product's.
    DEVELOPMENT: lambda role, owner: role in OFFICERS | ROUND_COMMITTEE or role == owner,
    # The national contest: the national users and the national committee run it and see every
    # entry; a province's officers see their own entries' results and nothing of another's.
    CONTEST_CHIANG_MAI: lambda role, _: role in {"officer", "admin"} | CONTEST,
    CONTEST_LAMPHUN: lambda role, _: role in {OTHER_PROVINCE} | CONTEST,
}


@dataclass(frozen=True)
class Marker:
    text: str
    kind: str
    # The role the secret belongs to (its author, or the conflicted member), where it matters.
    owner: str = ""

    def may_be_read_by(self, role):
        return RULES[self.kind](role, self.owner)


MARKERS = [
    Marker("87.3", SCORE_WHILE_SCORING, owner="member"),
    Marker("MKCOMMENTMEMBER", SCORE_WHILE_SCORING, owner="member"),
    Marker("52.1", SCORE_WHILE_SCORING, owner="chair"),
    Marker("61.9", SCORE_WHILE_SCORING, owner=SUBMITTED),
    Marker("MKCOMMENTSUBMITTED", SCORE_WHILE_SCORING, owner=SUBMITTED),
    Marker("93.1", SCORE_AFTER_CLOSE, owner=SUBMITTED),
    Marker("MKCONFLICTNOTE", CONFLICT_NOTE),
    Marker("MKCONTACTNAME", CONTACT),
    Marker("897412536", CONTACT),
    Marker("MKDRAFTAGENDA", DRAFT_MEETING),
    Marker("MKDRAFTMINUTES", DRAFT_MEETING),
    Marker("MKLAMPHUNPRODUCER", OTHER_PROVINCE_RECORD),
    Marker("MKLAMPHUNROUND", OTHER_PROVINCE_RECORD),
    Marker("MKLAMPHUNCOMMITTEE", OTHER_PROVINCE_RECORD),
    Marker("MKLAMPHUNLETTER", OTHER_PROVINCE_RECORD),
    Marker("66.4", CONTEST_CHIANG_MAI),
    Marker("58.7", CONTEST_LAMPHUN),
    Marker("MKCONTESTLAMPHUN", CONTEST_LAMPHUN),
    # Planted by tests/meetings/permission_cases.py as the memo's source of budget.
    Marker("MKMEMOBUDGET", OFFICE_MEMO),
    Marker("MKPHOTOCAPTION", PRODUCT_PHOTO),
    Marker("MKENTRYFILETITLE", ENTRY_MATERIAL),
    Marker("MKENTRYPDFTEXT", ENTRY_MATERIAL),
    Marker("MKOTHERROUNDFILE", OTHER_ROUND_MATERIAL),
    Marker("MKOTHERROUNDPHOTO", OTHER_ROUND_PHOTO),
    Marker("MKLAMPHUNFILE", OTHER_PROVINCE_RECORD),
    # Planted in tests/selection/development_permission_cases.py's world below.
    Marker("MKDEVVISITMENTORED", DEVELOPMENT, owner="mentor"),
    Marker("MKDEVPLANOTHER", DEVELOPMENT),
    Marker("MKLAMPHUNDEVGOAL", OTHER_PROVINCE_RECORD),
    # Planted below in the workshop of tests/meetings/permission_cases.py.
    Marker("MKWORKSHOPNAME", WORKSHOP_PARTICIPANT),
    Marker("896541237", WORKSHOP_PHONE),
]

DIGIT_GROUPS = re.compile(r"(?<=\d)[-\s](?=\d)")

# Bounds of the walk, per role.
MAX_FETCHES = 400
MAX_QUERY_VARIANTS = 4
SKIP_PREFIXES = ("/static/", "/admin/", "/i18n/", "/accounts/logout/", "/media/")


def plant_markers(world):
    """Give the permission world's secrets their markers, and add a member who has submitted
    and a second province."""
    round_, submission, criterion = world["sel_round"], world["sel_submission"], world["sel_criterion"]
    chair, member = world["sel_chair"], world["sel_member"]
    submitted = CommitteeMemberFactory(committee=round_.committee, role=CommitteeRole.MEMBER,
                                       user=UserFactory(username="flow-submitted"))
    world["flow_submitted"] = submitted
    for who, value, comment in ((member, "87.3", "MKCOMMENTMEMBER"), (chair, "52.1", ""),
                                (submitted, "61.9", "MKCOMMENTSUBMITTED")):
        selection_services.save_score(submission, who, criterion, Decimal(value), version=0, by=who.user)
        if comment:
            selection_services.save_comment(submission, who, comment, version=0, by=who.user)
    selection_services.submit_scores(round_, submitted, by=submitted.user)
    conflict = world["sel_conflict"]
    Conflict.objects.filter(pk=conflict.pk).update(note="MKCONFLICTNOTE")
    log_for(round_).filter(action=Action.CONFLICT_DECLARED).update(reason="MKCONFLICTNOTE")

    # A closed round: the member who has submitted above declared a conflict with its submission.
    ranked, ranked_submission = world["sel_ranked"], world["sel_ranked_submission"]
    ranked_criterion = ranked.criteria.first() or CriterionFactory(round=ranked, max_score=100)
    for who, value in ((member, "93.1"), (chair, "44.9")):
        ranked_submission.scores.create(member=who, criterion=ranked_criterion, value=Decimal(value),
                                        max_score=ranked_criterion.max_score)
    Conflict.objects.create(submission=ranked_submission, member=submitted, conflict_type="family", note="",
                            declared_by=submitted.user)
    ScoreComment.objects.create(submission=ranked_submission, member=submitted, text="")

    # Contacts of a Chiang Mai producer in the registry and in the round.
    producer = submission.product.producer
    producer.contact_name, producer.phone = "MKCONTACTNAME", "0897412536"
    producer.save()

    # The entry's material: its product's photo, and a document sent with the application whose
    # title and PDF text are marked.
    ProductPhoto.objects.filter(pk=world["sel_product_photo"].pk).update(caption="MKPHOTOCAPTION")
    document = world["sel_attachment_document"]
    document.title = "MKENTRYFILETITLE"
    document.file.save("marked.pdf", ContentFile(pdf_bytes("MKENTRYPDFTEXT")))
    # Another committee's round in the same province, with an eligible entry and its material.
    other_round = SelectionRoundFactory(committee=CommitteeFactory(name="คณะกรรมการอื่นในจังหวัด"),
                                        state=RoundState.SCORING)
    other_entry = SubmissionFactory(round=other_round)
    ProductPhotoFactory(product=other_entry.product, caption="MKOTHERROUNDPHOTO")
    SubmissionAttachmentFactory(submission=other_entry, title="MKOTHERROUNDFILE",
                                file=ContentFile(pdf_bytes("MKOTHERROUNDFILE"), name="other.pdf"))
    world["flow_other_entry"] = other_entry

    # A draft meeting's agenda and minutes text.
    item = AgendaItem.objects.filter(meeting__committee__name="คณะกรรมการทดสอบสิทธิ์การประชุม",
                                     meeting__number=1).first()
    item.body, item.discussion = "MKDRAFTAGENDA", "MKDRAFTMINUTES"
    item.save()

    # A workshop's guest: name and phone.
    Participant.objects.filter(name="ผู้เข้าอบรมทดสอบ").update(name="MKWORKSHOPNAME", phone="0896541237")

    # Lamphun: a producer, a committee and its round.
    lamphun = Province.objects.get(code=OTHER_PROVINCE_CODE)
    district = District.objects.filter(province=lamphun).first()
    lamphun_producer = ProducerFactory(province=lamphun, district=district, subdistrict=district.subdistricts.first(),
                                       name="MKLAMPHUNPRODUCER", code="P51FLOW1")
    ProductFactory(producer=lamphun_producer, code="OTOP51FLOW1")
    committee = CommitteeFactory(name="MKLAMPHUNCOMMITTEE", province=lamphun)
    lamphun_round = SelectionRoundFactory(committee=committee, name="MKLAMPHUNROUND")
    lamphun_entry = SubmissionFactory(round=lamphun_round, product=lamphun_producer.products.first())
    SubmissionAttachmentFactory(submission=lamphun_entry, title="MKLAMPHUNFILE",
                                file=ContentFile(pdf_bytes("MKLAMPHUNFILE"), name="lamphun.pdf"))
    world["flow_lamphun_entry"] = lamphun_entry
    lamphun_officer = UserFactory(username="flow-lamphun-officer", groups=["officer"])

    # Development (issue 12): the mentored product's visit, the other product's plan, and a
    # Lamphun product's development.
    world["dev_record"].visits.update(activities="MKDEVVISITMENTORED")
    PlanItem.objects.create(record=world["dev_other"], area="costing", description="MKDEVPLANOTHER")
    lamphun_round_dev = approved_round(committee=committee, products=[lamphun_producer.products.first()],
                                       fiscal_year=2566)
    DevelopmentRecord.objects.filter(round=lamphun_round_dev).update(goal="MKLAMPHUNDEVGOAL")
    Letter.objects.create(province=lamphun, year_be=2565, number=1, kind=LetterKind.MEMO, committee=committee,
                          reference="ลพ 0019/1", subject="MKLAMPHUNLETTER", addressee="พัฒนาการจังหวัดลำพูน",
                          issued_on=datetime.date(2022, 1, 3), content={}, file="letters/flow/lamphun.pdf",
                          issued_by=lamphun_officer)

    # The national contest: Lamphun's chosen product entered beside Chiang Mai's, both scored by
    # the national chair, scoring closed and the list approved.
    contest, contest_chair = world["sel_contest"], world["sel_contest_chair"]
    # Its producer is one of its own: the producer above is a Lamphun record no committee sees.
    contest_producer = ProducerFactory(province=lamphun, district=district, subdistrict=district.subdistricts.first(),
                                       name="MKCONTESTLAMPHUN กลุ่มผู้ผลิต", code="P51FLOW2")
    lamphun_entry = SubmissionFactory(round=contest, product=ProductFactory(
        producer=contest_producer, code="OTOP51FLOW2", name="MKCONTESTLAMPHUN"))
    for entry, value in ((world["sel_contest_submission"], "66.4"), (lamphun_entry, "58.7")):
        selection_services.save_score(entry, contest_chair, world["sel_contest_criterion"], Decimal(value), version=0,
                                      by=contest_chair.user)
    selection_services.submit_scores(contest, contest_chair, by=contest_chair.user)
    selection_services.close_scoring(contest, by=contest_chair.user)
    selection_services.approve(contest, by=contest_chair.user)
    return world


class _Links(HTMLParser):
    """Same-site URLs a person (or htmx) can GET from a page: links, htmx gets, GET forms."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get", "src", "data-url"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.urls.append(attrs["action"])


def _same_site(url, base):
    url = urldefrag(html.unescape(url))[0]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    if not url.startswith("/"):
        if not url.startswith("?"):
            return None
        url = urlsplit(base).path + url
    if url.startswith(SKIP_PREFIXES):
        return None
    return url


def _zip_text(content):
    """The text of an Office/OpenDocument file: every XML part with its tags stripped."""
    out = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                out.append(re.sub(r"<[^>]+>", " ", archive.read(name).decode("utf-8", "replace")))
    return html.unescape(" ".join(out))


def _pdf_text(content):
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def readable_text(response):
    """What a person gets to read from a response, as text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if content.startswith(b"%PDF"):
        return _pdf_text(content)
    if content.startswith(b"PK\x03\x04"):
        return _zip_text(content)
    if "text" in kind or "json" in kind or not kind:
        return html.unescape(content.decode("utf-8", "replace"))
    return ""


def walk(client, start_urls):
    """GET every start URL and every same-site URL found on the pages reached, breadth first,
    bounded. Yields (url, response, text)."""
    queue, seen, variants = list(start_urls), set(), {}
    while queue and len(seen) < MAX_FETCHES:
        url = queue.pop(0)
        if url in seen:
            continue
        path = urlsplit(url).path
        if urlsplit(url).query:
            variants[path] = variants.get(path, 0) + 1
            if variants[path] > MAX_QUERY_VARIANTS:
                continue
        seen.add(url)
        response = client.get(url)
        text = readable_text(response)
        yield url, response, text
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(response.content.decode("utf-8", "replace"))
            for found in parser.urls:
                found = _same_site(found, url)
                if found and found not in seen:
                    queue.append(found)


def _start_urls(world):
    urls = []
    for case in CASES:
        if case.method != "get":
            continue
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        urls.append(f"{url}?{case.query}" if case.query else url)
    # Pages of the objects only this test adds.
    urls += [reverse("producers:producer_list") + "?q=MKLAMPHUN", reverse("producers:product_list") + "?q=FLOW"]
    # The material of another committee's round and of Lamphun's, by their real ids: their
    # pages and files must answer nothing to those who may not read them.
    for name in ("flow_other_entry", "flow_lamphun_entry"):
        entry = world[name]
        kwargs = {"pk": entry.round_id, "sid": entry.pk}
        urls.append(reverse("selection:submission_detail", kwargs=kwargs))
        for attachment in entry.attachments.all():
            urls.append(reverse("selection:attachment_file", kwargs={**kwargs, "aid": attachment.pk}))
        for photo in entry.product.photos.all():
            urls.append(reverse("selection:entry_photo", kwargs={**kwargs, "photo_pk": photo.pk}))
            urls.append(reverse("producers:product_detail", kwargs={"pk": entry.product_id}))
    return list(dict.fromkeys(urls))


@pytest.fixture
def marked_world(db):
    world = {}
    for module in MODULES:
        if hasattr(module, "build_world"):
            module.build_world(world)
    return plant_markers(world)


def _client_for(role, world):
    client = Client()
    if role == SUBMITTED:
        client.force_login(world["flow_submitted"].user)
    elif role != ANONYMOUS:
        client.force_login(_user_for(role, world))
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_a_secret_the_rules_keep_from_it(role, marked_world):
    client = _client_for(role, marked_world)
    leaks, fetched, downloads = [], 0, 0

    for url, response, text in walk(client, _start_urls(marked_world)):
        fetched += 1
        downloads += text != "" and "html" not in response.get("Content-Type", "html")
        assert response.status_code < 500, url
        # Phones are shown grouped (089-741-2536): read digits across their separators too.
        text += " " + DIGIT_GROUPS.sub("", text)
        for marker in MARKERS:
            if marker.text in text and not marker.may_be_read_by(role):
                leaks.append(f"{marker.kind} «{marker.text}» at {url}")

    assert leaks == []
    assert fetched > 10


def _draft_meeting(world):
    return AgendaItem.objects.get(body="MKDRAFTAGENDA").meeting_id


@pytest.mark.parametrize("role,path,expected", [
    # The walk must reach the secrets where they are meant to be read, or it proves nothing.
    ("member", lambda w: reverse("selection:score_form", kwargs={"pk": w["sel_round"].pk,
                                                                 "sid": w["sel_submission"].pk}), "MKCOMMENTMEMBER"),
    ("officer", lambda w: reverse("producers:producer_detail", kwargs={"pk": w["sel_submission"].product.producer_id}),
     "MKCONTACTNAME"),
    ("officer", lambda w: reverse("producers:product_export"), "897412536"),
    ("officer", lambda w: reverse("producers:producer_detail", kwargs={"pk": w["sel_submission"].product.producer_id}),
     "897412536"),
    ("chair", lambda w: reverse("selection:history", kwargs={"pk": w["sel_round"].pk}), "MKCONFLICTNOTE"),
    ("secretary", lambda w: reverse("selection:progress", kwargs={"pk": w["sel_round"].pk}), "MKCONFLICTNOTE"),
    # The paper score sheets are read (their text is searched for contacts) and carry the entries.
    ("secretary", lambda w: reverse("selection:paper_sheets", kwargs={"pk": w["sel_round"].pk}), "PERM-SEL-1"),
    ("meeting_member", lambda w: reverse("meetings:detail", kwargs={"pk": _draft_meeting(w)}), "MKDRAFTAGENDA"),
    ("meeting_member", lambda w: f"/meetings/{_draft_meeting(w)}/agenda.pdf", "MKDRAFTAGENDA"),
    ("meeting_secretary", lambda w: f"/meetings/{_draft_meeting(w)}/minutes.docx", "MKDRAFTMINUTES"),
    ("officer", lambda w: f"/meetings/{_draft_meeting(w)}/minutes.odt", "MKDRAFTMINUTES"),
    ("meeting_secretary", lambda w: f"/meetings/{_draft_meeting(w)}/memo.docx", "MKMEMOBUDGET"),
    ("officer", lambda w: f"/meetings/{_draft_meeting(w)}/memo.odt", "MKMEMOBUDGET"),
    ("national", lambda w: reverse("meetings:letters"), "MKLAMPHUNLETTER"),
    ("meeting_chair", lambda w: reverse("meetings:workshop_detail", kwargs={"pk": w["mt_workshop"].pk}),
     "MKWORKSHOPNAME"),
    ("meeting_secretary", lambda w: reverse("meetings:workshop_sign_in", kwargs={"pk": w["mt_workshop"].pk}),
     "MKWORKSHOPNAME"),
    ("officer", lambda w: reverse("meetings:workshop_detail", kwargs={"pk": w["mt_workshop"].pk}), "896541237"),
    ("national", lambda w: reverse("meetings:workshop_detail", kwargs={"pk": w["mt_workshop"].pk}), "896541237"),
    ("other_province", lambda w: reverse("meetings:letters_export"), "MKLAMPHUNLETTER"),
    ("other_province", lambda w: reverse("producers:producer_list"), "MKLAMPHUNPRODUCER"),
    ("member", lambda w: reverse("selection:ranking", kwargs={"pk": w["sel_ranked"].pk}), "93.1"),
    ("secretary", lambda w: reverse("selection:ranking", kwargs={"pk": w["sel_ranked"].pk}), "93.1"),
    ("secretary", lambda w: reverse("selection:export", kwargs={"pk": w["sel_ranked"].pk}), "69"),
    # The entry's material: on the scoring page, in the document itself, on the product page.
    ("member", lambda w: reverse("selection:score_form", kwargs={"pk": w["sel_round"].pk,
                                                                 "sid": w["sel_submission"].pk}), "MKPHOTOCAPTION"),
    ("member", lambda w: reverse("selection:score_form", kwargs={"pk": w["sel_round"].pk,
                                                                 "sid": w["sel_submission"].pk}), "MKENTRYFILETITLE"),
    ("chair", lambda w: reverse("selection:attachment_file", kwargs={
        "pk": w["sel_round"].pk, "sid": w["sel_submission"].pk, "aid": w["sel_attachment_document"].pk}),
     "MKENTRYPDFTEXT"),
    ("viewer", lambda w: reverse("producers:product_detail", kwargs={"pk": w["sel_submission"].product_id}),
     "MKPHOTOCAPTION"),
    ("officer", lambda w: reverse("selection:submission_detail", kwargs={
        "pk": w["flow_other_entry"].round_id, "sid": w["flow_other_entry"].pk}), "MKOTHERROUNDFILE"),
    ("national", lambda w: reverse("selection:attachment_file", kwargs={
        "pk": w["flow_lamphun_entry"].round_id, "sid": w["flow_lamphun_entry"].pk,
        "aid": w["flow_lamphun_entry"].attachments.get().pk}), "MKLAMPHUNFILE"),
    ("mentor", lambda w: reverse("selection:development_detail", kwargs={"rid": w["dev_record"].pk}),
     "MKDEVVISITMENTORED"),
    ("member", lambda w: reverse("selection:development_detail", kwargs={"rid": w["dev_other"].pk}), "MKDEVPLANOTHER"),
    ("officer", lambda w: reverse("selection:development_board", kwargs={"pk": w["dev_round"].pk}), "MKDEVPLANOTHER"),
    ("national", lambda w: "/selection/development/", "MKLAMPHUNDEVGOAL"),
    # Each province reads its own entries' results on the contest page; the national users all.
    ("officer", lambda w: reverse("selection:contest", kwargs={"pk": w["sel_contest"].pk}), "66.4"),
    ("other_province", lambda w: reverse("selection:contest", kwargs={"pk": w["sel_contest"].pk}), "58.7"),
    ("other_province", lambda w: reverse("selection:contest", kwargs={"pk": w["sel_contest"].pk}), "MKCONTESTLAMPHUN"),
    ("national", lambda w: reverse("selection:contest", kwargs={"pk": w["sel_contest"].pk}), "MKCONTESTLAMPHUN"),
    ("contest_chair", lambda w: reverse("selection:ranking", kwargs={"pk": w["sel_contest"].pk}), "58.7"),
])
def test_the_walk_finds_each_secret_where_it_may_be_read(role, path, expected, marked_world):
    client = _client_for(role, marked_world)

    found = [url for url, _response, text in walk(client, _start_urls(marked_world))
             if expected in text + DIGIT_GROUPS.sub("", text)]

    assert any(url.startswith(path(marked_world)) for url in found), found


@pytest.mark.parametrize("role", ("member", "chair", SUBMITTED, "secretary", "officer", ANONYMOUS))
def test_pages_kept_for_offline_use_are_only_a_scorers_own_scoring_pages(role, marked_world):
    """The service worker keeps a copy of a page only when the answer is marked (issue 14 §2):
    only the scoring pages of a member who can still score, which the walk above proves hold
    nothing that member may not read. A member who has submitted, and every other role, gets
    no page marked."""
    client = _client_for(role, marked_world)
    round_pk, submission_pk = marked_world["sel_round"].pk, marked_world["sel_submission"].pk

    kept = sorted(url for url, response, _text in walk(client, _start_urls(marked_world))
                  if response.get(OFFLINE_HEADER))

    scorer_pages = sorted([reverse("selection:score_list", kwargs={"pk": round_pk}),
                           reverse("selection:score_form", kwargs={"pk": round_pk, "sid": submission_pk})])
    assert kept == (scorer_pages if role in ("member", "chair") else [])
