"""The demo registry (producers/demo.py): the world `make demo` serves and `make bench` imports.

The full registry is built once for the module (about a second on SQLite) inside a
transaction that is rolled back at the end; each test runs in its own savepoint.
"""

import random
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client

from producers import demo
from producers.models import Classification, District, Producer, Product, Province

CHIANG_MAI = "50"


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """{"users": ..., "counts": ...} of the demo registry, built once for the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            users = demo.create_users()
            counts = demo.build_registry(random.Random(2565))
            yield {"users": users, "counts": counts}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def registry(built, db):
    return built


def test_build_registry_counts_are_exact(registry):
    assert registry["counts"] == {"producers": 2531, "products": 7192}
    assert Producer.objects.count() == 2531
    assert Product.objects.count() == 7192


def test_build_registry_uses_every_district_of_chiang_mai(registry):
    used = set(Producer.objects.values_list("district_id", flat=True).distinct())
    assert used == set(District.objects.filter(province_id=CHIANG_MAI).values_list("code", flat=True))
    assert len(used) == 25


def test_build_registry_producers_are_in_chiang_mai(registry):
    assert set(Producer.objects.values_list("province_id", flat=True).distinct()) == {CHIANG_MAI}


def test_build_registry_registration_years_span_2557_to_2564(registry):
    years = set(Producer.objects.values_list("registration_year", flat=True).distinct())
    assert years == set(range(2557, 2565))


def test_build_registry_subdistrict_and_postcode_belong_to_the_district(registry):
    rows = Producer.objects.values_list("district_id", "subdistrict__district_id", "postcode",
                                        "subdistrict__postcodes")
    mismatched = [row for row in rows if row[0] != row[1] or row[2] not in row[3].split()]
    assert mismatched == []


def test_build_registry_most_producers_are_community_groups(registry):
    community = Producer.objects.filter(producer_type="community_group").count()
    assert community > Producer.objects.count() // 2


def test_build_registry_group_d_holds_no_standard(registry):
    assert Product.objects.filter(classification=Classification.D, standards__isnull=False).count() == 0
    assert Product.objects.exclude(classification=Classification.D).filter(standards__isnull=True).count() == 0


def test_build_registry_star_level_comes_with_an_opc_year_after_registration(registry):
    rows = Product.objects.values_list("star_level", "star_year", "producer__registration_year")
    wrong = [row for row in rows if (row[0] is None) != (row[1] is None)
             or (row[1] is not None and (row[1] not in demo.OPC_YEARS or row[1] < row[2]))]
    assert wrong == []
    levels = set(Product.objects.values_list("star_level", flat=True).distinct())
    assert levels == {None, 1, 2, 3, 4, 5}


def test_build_registry_phones_are_ten_digit_mobiles(registry):
    phones = Producer.objects.values_list("phone", flat=True)
    assert [p for p in phones if not re.fullmatch(r"0[89]\d{8}", p)] == []


def test_plan_registry_is_deterministic_for_a_seed(registry):
    geography = demo.province_geography(CHIANG_MAI)

    first = demo.plan_registry(random.Random(2565), geography)
    second = demo.plan_registry(random.Random(2565), geography)
    other = demo.plan_registry(random.Random(7), geography)

    assert first == second
    assert first != other
    assert [row["code"] for row in first[1]] == list(
        Product.objects.order_by("pk").values_list("code", flat=True))


def test_plan_registry_smaller_scale_keeps_exact_counts(registry):
    producers, products = demo.plan_registry(random.Random(1), demo.province_geography(CHIANG_MAI),
                                             producers=100, products=250)

    assert (len(producers), len(products)) == (100, 250)
    assert {row["district"] for row in producers} == set(
        District.objects.filter(province_id=CHIANG_MAI).values_list("code", flat=True))


def test_create_users_gives_each_role_and_the_committee(registry):
    users = registry["users"]

    assert [list(users[role].groups.values_list("name", flat=True)) for role in ("admin", "officer", "viewer")] \
        == [["admin"], ["officer"], ["viewer"]]
    committee = users["committee"]
    assert [u.username for u in committee] == ["chair"] + [f"member{n}" for n in range(1, 8)] + ["secretary"]
    assert User.objects.filter(pk__in=[u.pk for u in committee], groups__isnull=False).count() == 0
    assert committee[0].get_full_name() == "นายวรญาณ บุญณราช"
    assert users["positions"][committee[0].pk] == "รองผู้ว่าราชการจังหวัดเชียงใหม่"
    assert committee[1].get_full_name() == "นางลัดดา พรหมเมือง"
    assert users["positions"][committee[1].pk] == "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน"
    assert committee[8].get_full_name() == "นายเจริญ สีวาโย"
    assert users["positions"][committee[8].pk] == "พัฒนาการจังหวัดเชียงใหม่"
    assert len(users["positions"]) == 14


def test_create_users_password_logs_in(registry):
    assert Client().login(username="officer", password=demo.DEMO_PASSWORD) is True


def test_login_lines_name_every_login(registry):
    lines = demo.login_lines(registry["users"])

    assert len(lines) == 14
    assert lines[0].split()[:3] == ["admin", "/", demo.DEMO_PASSWORD]


def test_build_demo_refuses_a_database_that_holds_a_registry(registry):
    with pytest.raises(CommandError) as raised:
        call_command("build_demo", stage="registry")

    assert str(raised.value) == "The database already holds a registry; build the demo into an empty database."


def test_write_workbook_has_the_import_header_and_one_row_per_product(registry, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "demo.xlsx"

    demo.write_workbook(path)

    workbook = load_workbook(path, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(workbook.worksheets) == 1
    assert rows[3] == demo.WORKBOOK_HEADERS
    assert len(rows) == 4 + 7192
    first = Product.objects.order_by("producer__code", "code").select_related("producer").first()
    assert rows[4][0] == first.producer.code
    assert rows[4][12] == first.code


def test_write_workbook_imports_without_errors(registry, tmp_path):
    importing = pytest.importorskip("producers.importing")
    path = tmp_path / "demo.xlsx"
    demo.write_workbook(path)
    Product.standards.through.objects.all().delete()
    Product.objects.all().delete()
    Producer.objects.all().delete()

    report = importing.import_registry(path, province=Province.objects.get(code=CHIANG_MAI), dry_run=True)

    report = report.as_dict() if hasattr(report, "as_dict") else report
    assert report["errors"] == []
    assert report["producers"]["created"] == 2531
    assert report["products"]["created"] == 7192
    assert report["header_row"] == 4
