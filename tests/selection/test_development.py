"""Activity 2: the development of the selected products (issue 12)."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from kbo_site import photos
from kbo_site.actions import log_for
from kbo_site.models import Action
from producers.models import Province
from selection import development, services
from selection.models import (
    CommitteeRole,
    DevelopmentArea,
    DevelopmentPhoto,
    DevelopmentRecord,
    DevelopmentState,
    MentorKind,
    ProductStatus,
    RoundState,
    StatusStage,
)
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
)
from tests.kbo_site.test_photos import camera_jpeg
from tests.selection.conftest import give
from tests.selection.development_world import approved_round

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officer(db):
    return UserFactory(username="dev-officer", groups=["officer"])


@pytest.fixture
def approved(db):
    products = [ProductFactory(code=f"DEV{i}", star_level=2, star_year=2562, standards=["อย."]) for i in (1, 2, 3)]
    return approved_round(products=products)


def _record(round_, code):
    return DevelopmentRecord.objects.select_related("product", "round__committee").get(round=round_,
                                                                                      product__code=code)


def _items(*specs):
    return [{"pk": None, "area": area, "description": text, "due_on": due} for area, text, due in specs]


# Opening the records ---------------------------------------------------------------------


def test_approve_opens_a_development_record_for_each_selected_product(round_, rubric, members, submissions, chair):
    m0, m1, m2 = members
    for submission, values in zip(submissions, ((40, 20, 25), (30, 20, 20), (20, 10, 10))):
        for member in members:
            give(submission, member, rubric, values)
    round_.state = RoundState.RANKING
    round_.save()

    services.approve(round_, by=chair.user)

    records = DevelopmentRecord.objects.filter(round=round_).order_by("rank")
    assert [(r.rank, r.product.code) for r in records] == [(1, "OTOP50S1"), (2, "OTOP50S2")]
    assert log_for(records[0]).get().action == Action.DEVELOPMENT_OPENED


def test_open_records_fills_before_from_the_registry(approved):
    before = ProductStatus.objects.get(record__round=approved, record__product__code="DEV1", stage=StatusStage.BEFORE)

    assert (before.star_level, before.star_year, before.classification, before.standards) == (2, 2562, "D", ["อย."])
    assert (before.price_per_unit, before.monthly_sales, before.group_members) == (None, None, None)


def test_open_records_twice_opens_nothing_more(approved):
    assert development.open_records(approved) == []
    assert DevelopmentRecord.objects.filter(round=approved).count() == 3


def test_ensure_records_opens_them_for_a_round_approved_before(approved):
    DevelopmentRecord.objects.filter(round=approved).delete()

    opened = development.ensure_records(approved)

    assert sorted(r.product.code for r in opened) == ["DEV1", "DEV2", "DEV3"]


def test_records_opened_when_the_board_is_first_read_name_the_approving_chair(approved):
    DevelopmentRecord.objects.filter(round=approved).delete()

    development.ensure_records(approved)

    actors = {row.actor.username for row in log_for(*DevelopmentRecord.objects.filter(round=approved))}
    assert actors == {"dev-approver"}


def _approve_again(round_, codes):
    """The round reopened and approved with another list, as services.approve stores it."""
    from django.utils import timezone

    from selection.models import Approval

    Approval.objects.filter(round=round_).update(superseded_at=timezone.now())
    Approval.objects.create(round=round_, approved_by=round_.approvals.first().approved_by, snapshot={"rows": [
        {"rank": n, "product_code": code, "status": "selected"} for n, code in enumerate(codes, 1)]})
    return development.open_records(round_)


def test_approved_again_without_a_product_keeps_its_record_off_the_board_and_back_when_it_returns(approved, officer):
    dropped = _record(approved, "DEV2")
    development.record_visit(dropped, visited_on=TODAY, kind="visit",
                             people="ทีมพี่เลี้ยง", activities="ออกแบบฉลาก", by=officer)

    _approve_again(approved, ["DEV3", "DEV1"])

    dropped.refresh_from_db()
    assert dropped.state == DevelopmentState.WITHDRAWN
    assert dropped.visits.count() == 1  # the work recorded is kept
    assert log_for(dropped).first().to_state == DevelopmentState.WITHDRAWN
    board = development.board(approved, DevelopmentRecord.objects.all(), today=TODAY)
    assert [(row.record.rank, row.record.product.code) for row in board.rows] == [(1, "DEV3"), (2, "DEV1")]
    [province] = development.overview([approved], today=TODAY)
    assert [code for code, _name, _progress in province.rounds[0].records] == ["DEV3", "DEV1"]
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("selection:development_board", args=[approved.pk])).content.decode()
    board_table, kept = page.split('data-testid="withdrawn"')
    assert "DEV2" not in board_table and "DEV1" in board_table
    assert "DEV2" in kept and "ไม่อยู่ในรายการที่อนุมัติแล้ว" in kept
    record_page = client.get(reverse("selection:development_detail", args=[dropped.pk])).content.decode()
    assert "แก้ไขไม่ได้อีก" in record_page and 'data-testid="record-visit"' not in record_page
    assert client.get(reverse("selection:development_visit_add", args=[dropped.pk])).status_code == 403

    _approve_again(approved, ["DEV1", "DEV2", "DEV3"])

    dropped.refresh_from_db()
    assert (dropped.state, dropped.rank) == (DevelopmentState.UNDERWAY, 2)
    assert DevelopmentRecord.objects.filter(round=approved).count() == 3


def test_a_new_packaging_photo_removes_the_old_files_from_disk(approved, officer, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    record = _record(approved, "DEV1")
    values = {"star_level": 2, "star_year": 2562, "classification": "D", "standards": ("อย.",)}
    with django_capture_on_commit_callbacks(execute=True):
        development.record_status(record, StatusStage.BEFORE, values=values, by=officer,
                                  photo=photos.prepare(camera_jpeg(800, 600)))
    first = DevelopmentPhoto.objects.get(status__record=record)
    old = [first.file.name, first.thumbnail.name]
    assert all(default_storage.exists(name) for name in old)

    with django_capture_on_commit_callbacks(execute=True):
        development.record_status(record, StatusStage.BEFORE, values=values, by=officer,
                                  photo=photos.prepare(camera_jpeg(640, 480)))

    assert DevelopmentPhoto.objects.filter(status__record=record).count() == 1
    assert not any(default_storage.exists(name) for name in old)


# The plan ---------------------------------------------------------------------------------


def test_save_plan_keeps_an_item_done_and_logs_the_change(approved, officer):
    record = _record(approved, "DEV1")
    development.save_plan(record, goal="ยกระดับ", budget=Decimal("15000"), starts_on=TODAY, ends_on=None,
                          items=_items(("packaging", "ฉลากใหม่", TODAY), ("marketing", "ขายออนไลน์", None)),
                          version=1, by=officer)
    label = record.items.get(area="packaging")
    development.set_item_done(label, done=True, by=officer)

    development.save_plan(record, goal="ยกระดับ", budget=Decimal("20000"), starts_on=TODAY, ends_on=None,
                          items=[{"pk": label.pk, "area": "packaging", "description": "ฉลากและตราสินค้าใหม่",
                                  "due_on": TODAY}], version=2, by=officer)

    record.refresh_from_db()
    assert [(i.area, i.description, i.done_on is not None) for i in record.items.all()] == [
        ("packaging", "ฉลากและตราสินค้าใหม่", True)]
    assert (record.budget, record.version) == (Decimal("20000.00"), 3)
    assert [e.action for e in log_for(record)][:3] == [Action.PLAN_CHANGED, Action.ITEM_DONE, Action.PLAN_CHANGED]


def test_save_plan_from_a_stale_page_is_refused(approved, officer):
    record = _record(approved, "DEV1")
    development.save_plan(record, goal="", budget=None, starts_on=None, ends_on=None, items=[], version=1,
                          by=officer)

    with pytest.raises(services.SelectionError) as error:
        development.save_plan(record, goal="x", budget=None, starts_on=None, ends_on=None, items=[], version=1,
                              by=officer)

    assert error.value.message == ("มีผู้อื่นบันทึกแผนนี้ระหว่างที่ท่านแก้ไข แผนที่แสดงอยู่ตอนนี้เป็นของผู้นั้น "
                                   "กรุณาแก้ไขอีกครั้ง")


def test_board_counts_done_and_late_items(approved, officer):
    record = _record(approved, "DEV1")
    past, future = TODAY - datetime.timedelta(days=3), TODAY + datetime.timedelta(days=30)
    development.save_plan(record, goal="", budget=None, starts_on=None, ends_on=None, version=1, by=officer,
                          items=_items(("packaging", "a", past), ("costing", "b", past), ("marketing", "c", future)))
    development.set_item_done(record.items.get(area="costing"), done=True, by=officer)

    board = development.board(approved, DevelopmentRecord.objects.all(), today=TODAY)

    row = board.rows[0]
    assert (row.progress.total, row.progress.done, row.progress.late, row.progress.percent) == (3, 1, 1, 33)
    assert [(area.value, [i.late for i in items]) for area, items in row.cells if items] == [
        ("packaging", [True]), ("costing", [False]), ("marketing", [False])]
    assert (board.progress.total, board.progress.late) == (3, 1)


# Mentors and what they see -----------------------------------------------------------------


def test_a_mentor_off_the_committee_sees_only_the_products_they_mentor(approved, officer):
    mentor = UserFactory(username="dev-mentor", first_name="อาจารย์สมหญิง")
    development.add_mentor(_record(approved, "DEV2"), user=mentor, kind=MentorKind.EXPERT, by=officer)
    client = Client()
    client.force_login(mentor)

    board = client.get(reverse("selection:development_board", kwargs={"pk": approved.pk}))
    own = client.get(reverse("selection:development_detail", kwargs={"rid": _record(approved, "DEV2").pk}))
    other = client.get(reverse("selection:development_detail", kwargs={"rid": _record(approved, "DEV1").pk}))
    round_page = client.get(reverse("selection:round_detail", kwargs={"pk": approved.pk}))

    assert [row.record.product.code for row in board.context["board"].rows] == ["DEV2"]
    assert (own.status_code, other.status_code, round_page.status_code) == (200, 403, 403)


def test_another_province_sees_no_development(approved):
    lamphun_admin = UserFactory(username="dev-lamphun", groups=["admin"], province="51")
    client = Client()
    client.force_login(lamphun_admin)

    board = client.get(reverse("selection:development_board", kwargs={"pk": approved.pk}))
    detail = client.get(reverse("selection:development_detail", kwargs={"rid": _record(approved, "DEV1").pk}))
    overview = client.get(reverse("selection:development_overview"))

    assert (board.status_code, detail.status_code) == (404, 404)
    assert overview.context["provinces"] == []


def test_a_national_officer_reads_but_does_not_edit(approved):
    national = UserFactory(username="dev-national", groups=["officer"], province="national")
    client = Client()
    client.force_login(national)
    record = _record(approved, "DEV1")

    detail = client.get(reverse("selection:development_detail", kwargs={"rid": record.pk}))
    plan = client.get(reverse("selection:development_plan", kwargs={"rid": record.pk}))

    assert (detail.status_code, plan.status_code) == (200, 403)


# Visits and photos ------------------------------------------------------------------------


def test_a_mentor_records_a_visit_with_a_camera_photo_stored_small_without_location(approved, officer):
    mentor = UserFactory(username="dev-mentor2")
    record = _record(approved, "DEV1")
    development.add_mentor(record, user=mentor, by=officer)
    client = Client()
    client.force_login(mentor)
    upload = SimpleUploadedFile("IMG_0001.jpg", camera_jpeg().getvalue(), content_type="image/jpeg")

    response = client.post(reverse("selection:development_visit_add", kwargs={"rid": record.pk}), {
        "visited_on": "20/11/2569", "kind": "visit", "people": "อาจารย์และเจ้าหน้าที่",
        "activities": "ออกแบบฉลากใหม่", "next_steps": "ส่งแบบให้กลุ่ม", "photos": [upload]})

    assert response.status_code == 302
    visit = record.visits.get()
    assert (visit.visited_on, visit.activities, visit.recorded_by) == (datetime.date(2026, 11, 20), "ออกแบบฉลากใหม่",
                                                                      mentor)
    photo = DevelopmentPhoto.objects.get(visit=visit)
    data = photo.file.read()
    stored = Image.open(BytesIO(data))
    assert (stored.size, len(data) <= 500 * 1024, dict(stored.getexif())) == ((1600, 1200), True, {})
    served = client.get(reverse("selection:development_photo", kwargs={"photo_pk": photo.pk, "size": "thumb"}))
    assert (served.status_code, served["Content-Type"]) == (200, "image/jpeg")


def test_a_visit_with_a_file_that_is_not_a_photo_is_refused_and_keeps_the_text(approved, officer):
    record = _record(approved, "DEV1")
    client = Client()
    client.force_login(officer)

    response = client.post(reverse("selection:development_visit_add", kwargs={"rid": record.pk}), {
        "visited_on": "20/11/2569", "kind": "visit", "people": "เจ้าหน้าที่", "activities": "ตรวจสายการผลิต",
        "photos": [SimpleUploadedFile("x.jpg", b"not a photo")]})

    assert response.status_code == 400
    assert "ตรวจสายการผลิต" in response.content.decode()
    assert record.visits.count() == 0


def test_another_records_photo_is_not_served_to_a_mentor(approved, officer):
    mentor = UserFactory(username="dev-mentor3")
    development.add_mentor(_record(approved, "DEV2"), user=mentor, by=officer)
    visit = development.record_visit(_record(approved, "DEV1"), visited_on=TODAY, kind="visit", people="ก",
                                     activities="ข", by=officer)
    photo = development._store_photo(_record(approved, "DEV1"), photos.prepare(camera_jpeg(400, 300)), by=officer,
                                     visit=visit)
    client = Client()
    client.force_login(mentor)

    response = client.get(reverse("selection:development_photo", kwargs={"photo_pk": photo.pk, "size": "full"}))

    assert response.status_code == 403


# Before and after --------------------------------------------------------------------------


def test_after_updates_the_registry_through_its_own_service(approved, officer):
    record = _record(approved, "DEV1")
    product = record.product
    values = {"star_level": 4, "star_year": 2569, "classification": "B", "standards": ("GMP", "อย."),
              "price_per_unit": Decimal("120"), "monthly_sales": Decimal("45000"), "group_members": 28}

    development.record_status(record, StatusStage.AFTER, values=values, update_registry=True, by=officer)

    product.refresh_from_db()
    record.refresh_from_db()
    assert (product.star_level, product.star_year, product.classification, product.version) == (4, 2569, "B", 2)
    assert sorted(s.name for s in product.standards.all()) == ["GMP", "อย."]
    assert product.history.count() == 2
    assert log_for(product).get().action == Action.RECORD_CHANGED
    assert record.state == DevelopmentState.COMPLETED
    assert ProductStatus.objects.get(record=record, stage="after").registry_updated_at is not None


def test_after_form_reads_values_as_the_registry_does(approved, officer):
    record = _record(approved, "DEV1")
    client = Client()
    client.force_login(officer)

    response = client.post(reverse("selection:development_status", kwargs={"rid": record.pk, "stage": "after"}), {
        "star_level": "3 ดาว", "star_year": "2023", "classification": "กลุ่ม C", "standards": "อย, มผช",
        "price_per_unit": "85", "monthly_sales": "30000", "group_members": "15"})

    assert response.status_code == 302
    after = ProductStatus.objects.get(record=record, stage="after")
    assert (after.star_level, after.star_year, after.classification, after.standards) == (3, 2566, "C",
                                                                                          ["มผช.", "อย."])
    record.product.refresh_from_db()
    assert record.product.star_level == 2


# Query counts ---------------------------------------------------------------------------------


def _fill(round_, officer):
    for record in DevelopmentRecord.objects.filter(round=round_).select_related("product"):
        development.add_mentor(record, name="ผู้เชี่ยวชาญ", kind=MentorKind.EXPERT, by=officer)
        development.save_plan(record, goal="", budget=None, starts_on=None, ends_on=None, version=None, by=officer,
                              items=_items(*((area, area, TODAY) for area in DevelopmentArea.values[:3])))
        development.record_visit(record, visited_on=TODAY, kind="visit", people="ก", activities="ข", by=officer)


@pytest.mark.parametrize("count", [2, 6])
def test_development_board_query_count_is_fixed(count, officer, django_assert_num_queries):
    round_ = approved_round(count=count)
    _fill(round_, officer)
    client = Client()
    client.force_login(officer)
    url = reverse("selection:development_board", kwargs={"pk": round_.pk})
    client.get(url)

    with django_assert_num_queries(11):
        response = client.get(url)

    assert len(response.context["board"].rows) == count


@pytest.mark.parametrize("provinces", [1, 3])
def test_national_overview_query_count_is_fixed(provinces, officer, django_assert_num_queries):
    for code in ("50", "51", "52")[:provinces]:
        province = Province.objects.get(code=code)
        producer = ProducerFactory(province=province, district=province.districts.first(),
                                   subdistrict=province.districts.first().subdistricts.first(),
                                   code=f"P{code}DEV")
        round_ = approved_round(committee=CommitteeFactory(province=province),
                                products=[ProductFactory(producer=producer) for _ in range(3)])
        _fill(round_, officer)
    national = UserFactory(username="dev-national-q", groups=["officer"], province="national")
    client = Client()
    client.force_login(national)
    url = reverse("selection:development_overview")
    client.get(url)

    with django_assert_num_queries(8):
        response = client.get(url)

    assert [len(p.rounds[0].records) for p in response.context["provinces"]] == [3] * provinces


def test_committee_member_sees_the_whole_board(approved):
    member = CommitteeMemberFactory(committee=approved.committee, role=CommitteeRole.MEMBER,
                                    user=UserFactory(username="dev-committee"))
    client = Client()
    client.force_login(member.user)

    response = client.get(reverse("selection:development_board", kwargs={"pk": approved.pk}))

    assert [row.record.product.code for row in response.context["board"].rows] == ["DEV1", "DEV2", "DEV3"]
