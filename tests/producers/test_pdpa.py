"""Personal data (PDPA): who sees producers' contacts, the access log, erasure on request."""

import datetime
import io
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from producers import services
from producers.importing import import_registry
from producers.models import PersonalDataAccess, PersonalDataAccessKind, Producer
from selection.models import CommitteeRole, RoundState
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    ProducerFactory,
    ProductFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.meetings.conftest import committee, committee_members, media_root, meeting, minuted, officer  # noqa: F401
from tests.meetings.test_documents import docx_text
from tests.producers.workbooks import product_row, registry_sheet, xlsx

pytestmark = pytest.mark.django_db

CONTACT = "นางลับเฉพาะ ส่วนบุคคล"
PHONE = "0899990001"
HOUSE = "77/9"
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def private_producer():
    producer = ProducerFactory(code="PDPA-1", name="กลุ่มวิสาหกิจชุมชนบ้านลับ", contact_name=CONTACT, phone=PHONE,
                               house_no=HOUSE)
    ProductFactory(producer=producer, code="OTOP50PDPA1", name="ข้าวแต๋นน้ำแตงโม")
    return producer


def _shows(response_or_bytes):
    content = getattr(response_or_bytes, "content", response_or_bytes)
    text = content.decode() if isinstance(content, bytes) else content
    # The pages show the phone grouped (081-234-5678), the exports as stored: either form counts.
    return (CONTACT in text, PHONE in text or "089-999-0001" in text)


def _export_text(response):
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return " ".join(str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None)


REGISTRY_PAGES = [
    lambda p: reverse("producers:producer_list"),
    lambda p: reverse("producers:producer_list") + "?q=บ้านลับ",
    lambda p: reverse("producers:product_list"),
    lambda p: reverse("producers:producer_detail", args=[p.pk]),
]


# Who sees the contacts ----------------------------------------------------------------------

@pytest.mark.parametrize("url", range(len(REGISTRY_PAGES)))
@pytest.mark.parametrize("role", ["viewer", "officer", "admin"])
def test_registry_page_shows_contacts_only_to_officers_and_admins(url, role, private_producer, client_for):
    response = client_for(role).get(REGISTRY_PAGES[url](private_producer))

    assert response.status_code == 200
    expected = role in ("officer", "admin")
    assert _shows(response) == (expected, expected)


@pytest.mark.parametrize("role", ["viewer", "officer", "admin"])
def test_export_has_personal_columns_only_for_officers_and_admins(role, private_producer, client_for):
    response = client_for(role).get(reverse("producers:product_export"))

    text = _export_text(response)
    expected = role in ("officer", "admin")
    assert (CONTACT in text, PHONE in text, "ชื่อผู้ติดต่อ" in text) == (expected, expected, expected)


@pytest.fixture
def scored_round(private_producer):
    """A round in ranking with the private producer's product, a chair and a member."""
    committee = CommitteeFactory()
    chair = CommitteeMemberFactory(committee=committee, role=CommitteeRole.CHAIR, order=0,
                                   user=UserFactory(username="pdpa-chair"))
    member = CommitteeMemberFactory(committee=committee, role=CommitteeRole.MEMBER, order=1,
                                    user=UserFactory(username="pdpa-member"))
    selection_round = SelectionRoundFactory(committee=committee, quota=1, reserves=0, min_scorers=1,
                                            state=RoundState.SCORING)
    CriterionFactory(round=selection_round, max_score=100)
    submission = SubmissionFactory(round=selection_round, product=private_producer.products.get())
    return selection_round, submission, chair, member


def test_committee_pages_show_group_name_and_district_but_not_contacts(scored_round, private_producer):
    selection_round, submission, chair, member = scored_round
    kwargs = {"pk": selection_round.pk}
    pages = [(member.user, reverse("selection:score_list", kwargs=kwargs)),
             (member.user, reverse("selection:score_form", kwargs={**kwargs, "sid": submission.pk}))]

    responses = [(_client(user).get(url), url) for user, url in pages]

    for response, url in responses:
        text = response.content.decode()
        assert (url, response.status_code, private_producer.name in text, "เมืองเชียงใหม่" in text,
                *_shows(response)) == (url, 200, True, True, False, False)


def test_ranking_and_results_export_leave_contacts_out(scored_round, private_producer):
    selection_round, submission, chair, member = scored_round
    selection_round.state = RoundState.RANKING
    selection_round.save()
    client = _client(chair.user)

    ranking = client.get(reverse("selection:ranking", kwargs={"pk": selection_round.pk}))
    export = client.get(reverse("selection:export", kwargs={"pk": selection_round.pk}))

    book = load_workbook(io.BytesIO(export.content), read_only=True)
    text = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    assert (ranking.status_code, *_shows(ranking), private_producer.name in text, CONTACT in text,
            PHONE in text) == (200, False, False, True, False, False)


def test_minutes_and_meeting_page_carry_no_producer_contacts(minuted):  # noqa: F811
    from meetings import documents, record

    chair_user = minuted.committee.members.get(role=CommitteeRole.CHAIR).user
    producer = Producer.objects.filter(products__submissions__round=minuted.round).first()

    page = _client(chair_user).get(reverse("meetings:detail", args=[minuted.pk]))
    minutes = docx_text(documents.render(record.build(minuted, record.MINUTES), "docx"))

    assert (page.status_code, producer.contact_name in page.content.decode(), producer.phone in page.content.decode(),
            producer.contact_name in minutes, producer.phone in minutes) == (200, False, False, False, False)


# The access log -----------------------------------------------------------------------------

def test_officer_viewing_a_producer_page_leaves_one_access_row(private_producer, make_user):
    officer = make_user("officer")

    _client(officer).get(reverse("producers:producer_detail", args=[private_producer.pk]),
                         REMOTE_ADDR="10.1.2.3")

    assert list(PersonalDataAccess.objects.values_list("user", "kind", "producer", "address")) == [
        (officer.pk, PersonalDataAccessKind.VIEW_PRODUCER, private_producer.pk, "10.1.2.3")]


def test_viewer_viewing_a_producer_page_leaves_no_access_row(private_producer, viewer_client):
    viewer_client.get(reverse("producers:producer_detail", args=[private_producer.pk]))

    assert PersonalDataAccess.objects.count() == 0


def test_list_page_leaves_one_row_with_its_filter_whatever_the_number_of_producers(make_user):
    ProducerFactory.create_batch(5)
    officer = make_user("officer")

    _client(officer).get(reverse("producers:producer_list"), {"q": "กลุ่ม", "page": "1"})

    assert list(PersonalDataAccess.objects.values_list("kind", "query")) == [
        (PersonalDataAccessKind.VIEW_LIST, "/registry/producers/?q=%E0%B8%81%E0%B8%A5%E0%B8%B8%E0%B9%88%E0%B8%A1")]


def test_export_with_personal_columns_is_logged_with_its_filter(private_producer, make_user):
    officer = make_user("officer")

    _client(officer).get(reverse("producers:product_export"), {"classification": "D"})

    assert list(PersonalDataAccess.objects.values_list("user", "kind", "query")) == [
        (officer.pk, PersonalDataAccessKind.EXPORT, "classification=D")]


def test_export_without_personal_columns_is_not_logged(private_producer, viewer_client):
    viewer_client.get(reverse("producers:product_export"))

    assert PersonalDataAccess.objects.count() == 0


# Erasure on request -------------------------------------------------------------------------

def test_anonymise_clears_personal_fields_and_keeps_products(private_producer, make_user):
    admin = make_user("admin")

    producer = services.anonymise_producer(private_producer, by=admin, reason="คำขอ 1/2569")

    producer.refresh_from_db()
    assert (producer.contact_name, producer.phone, producer.house_no, producer.anonymised_by,
            producer.products.count(), producer.village_no) == ("", "", "", admin, 1, 3)
    assert list(PersonalDataAccess.objects.values_list("kind", "producer", "reason")) == [
        (PersonalDataAccessKind.ANONYMISE, producer.pk, "คำขอ 1/2569")]


def test_anonymise_is_refused_when_already_done(private_producer, make_user):
    admin = make_user("admin")
    services.anonymise_producer(private_producer, by=admin, reason="คำขอ 1/2569")

    with pytest.raises(services.RegistryError) as error:
        services.anonymise_producer(private_producer, by=admin, reason="คำขอซ้ำ")

    assert str(error.value) == "ข้อมูลส่วนบุคคลของผู้ผลิตรายนี้ถูกลบไปแล้ว ไม่มีการเปลี่ยนแปลงใด ๆ"
    assert PersonalDataAccess.objects.count() == 1


def test_anonymise_is_refused_without_a_reason(private_producer, make_user):
    with pytest.raises(services.RegistryError):
        services.anonymise_producer(private_producer, by=make_user("admin"), reason="  ")

    private_producer.refresh_from_db()
    assert (private_producer.contact_name, private_producer.anonymised_at) == (CONTACT, None)


def test_anonymise_view_erases_and_the_page_says_when_in_the_buddhist_era(private_producer, make_user):
    client = _client(make_user("admin"))
    url = reverse("producers:pdpa_anonymise", args=[private_producer.pk])

    response = client.post(url, {"reason": "คำขอ 1/2569"}, follow=True)

    today = timezone.localdate()
    text = response.content.decode()
    assert (f"ข้อมูลส่วนบุคคลถูกลบตามคำขอเมื่อ {today.day}" in text, f"{today.year + 543}" in text,
            *_shows(response)) == (True, True, False, False)


def test_anonymise_view_twice_shows_the_thai_refusal(private_producer, make_user):
    client = _client(make_user("admin"))
    url = reverse("producers:pdpa_anonymise", args=[private_producer.pk])
    client.post(url, {"reason": "คำขอ 1/2569"})

    response = client.post(url, {"reason": "คำขอซ้ำ"}, follow=True)

    assert "ข้อมูลส่วนบุคคลของผู้ผลิตรายนี้ถูกลบไปแล้ว" in response.content.decode()


def test_anonymise_view_without_a_reason_keeps_the_data_and_asks_again(private_producer, make_user):
    client = _client(make_user("admin"))

    response = client.post(reverse("producers:pdpa_anonymise", args=[private_producer.pk]), {"reason": ""})

    private_producer.refresh_from_db()
    assert (response.status_code, private_producer.contact_name) == (200, CONTACT)


def test_import_does_not_refill_an_anonymised_producer_and_notes_it(private_producer, make_user, tmp_path):
    services.anonymise_producer(private_producer, by=make_user("admin"), reason="คำขอ 1/2569")
    source = xlsx(registry_sheet([product_row(
        producer_code="PDPA-1", producer_name=private_producer.name, contact_name=CONTACT, phone=PHONE,
        house_no=HOUSE, subdistrict=None, district="เมืองเชียงใหม่", postcode=None, product_code="OTOP50PDPA1")]))

    report = import_registry(source, province=private_producer.province)

    private_producer.refresh_from_db()
    assert (private_producer.contact_name, private_producer.phone, private_producer.house_no,
            report.anonymised_kept_empty, report.errors) == ("", "", "", 1, [])


# The access log page ------------------------------------------------------------------------

def _accesses(user, count, producer, at):
    PersonalDataAccess.objects.bulk_create([
        PersonalDataAccess(user=user, kind=PersonalDataAccessKind.VIEW_PRODUCER, producer=producer, at=at,
                           address="10.0.0.1") for _ in range(count)])


def test_access_log_lists_rows_with_buddhist_era_dates(private_producer, make_user):
    officer = make_user("officer")
    _accesses(officer, 1, private_producer, datetime.datetime(2026, 1, 11, 9, 30, tzinfo=BANGKOK))

    response = _client(make_user("admin")).get(reverse("producers:pdpa_access_log"))

    text = response.content.decode()
    assert ("2569" in text, "09:30" in text or "09.30" in text, private_producer.code in text) == (True, True, True)


def test_access_log_filters_by_user_and_date(private_producer, make_user):
    officer, other = make_user("officer"), make_user("admin")
    _accesses(officer, 2, private_producer, datetime.datetime(2026, 1, 11, 9, 0, tzinfo=BANGKOK))
    _accesses(officer, 3, private_producer, datetime.datetime(2026, 1, 12, 9, 0, tzinfo=BANGKOK))
    _accesses(other, 4, private_producer, datetime.datetime(2026, 1, 11, 9, 0, tzinfo=BANGKOK))

    response = _client(other).get(reverse("producers:pdpa_access_log"),
                                  {"user": officer.pk, "since": "11/01/2569", "until": "11/01/2569"})

    assert response.context["page"].paginator.count == 2


@pytest.mark.parametrize("size", [3, 120])
def test_access_log_query_count_does_not_grow_with_the_data(size, private_producer, make_user,
                                                           django_assert_num_queries):
    admin = make_user("admin")
    for i in range(3):
        _accesses(make_user("officer"), size // 3, private_producer, timezone.now())
    client = _client(admin)

    # session, user, groups, nav's committee check, the admin's province, users for the filter's
    # choices, count, page (with user and producer joined), session save (savepoint, update, release)
    with django_assert_num_queries(11):
        response = client.get(reverse("producers:pdpa_access_log"))

    assert len(response.context["page"]) == min(size, 50)


def test_edit_form_cannot_bring_back_erased_contacts(private_producer, make_user):
    producer = services.anonymise_producer(private_producer, by=make_user("admin"), reason="คำขอ 1/2569")
    data = {name: getattr(producer, name) for name in services.PRODUCER_FIELDS}
    data.update(district=producer.district, subdistrict=producer.subdistrict, phone=PHONE)

    with pytest.raises(services.RegistryError) as error:
        services.update_producer(producer, data, version=producer.version, by=make_user("officer"))

    producer.refresh_from_db()
    assert (error.value.field, producer.phone) == ("phone", "")
