"""The national demo registry (producers.demo_national, `build_demo --national`): every
province filled from its own seed, over its real districts, up to the totals, with Chiang Mai's
demo kept as it is. Small totals here; the bench builds the full 100,000 / 300,000."""

import random

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count

from producers.roles import is_national, province_code
from producers import demo, demo_national
from producers.models import Producer, Product

pytestmark = pytest.mark.django_db


def test_build_national_fills_every_province_up_to_the_totals():
    added = demo_national.build_national(2565, producers=770, products=2310)

    assert added == {"producers": 770, "products": 2310, "provinces": 77}
    assert Producer.objects.values("province").distinct().count() == 77
    assert Product.objects.count() == 2310


def test_build_national_keeps_a_province_that_already_holds_producers():
    demo.build_registry(random.Random(2565), producers=50, products=120)

    added = demo_national.build_national(2565, producers=800, products=2400)

    assert added["provinces"] == 76
    assert Producer.objects.filter(province_id="50").count() == 50
    assert (Producer.objects.count(), Product.objects.count()) == (800, 2400)


def test_build_national_places_producers_in_their_provinces_real_districts():
    demo_national.build_national(2565, producers=770, products=2310)

    rows = Producer.objects.values_list("province_id", "district__province_id", "subdistrict__district_id",
                                        "district_id")
    assert [row for row in rows if row[0] != row[1] or row[2] != row[3]] == []


def test_build_national_is_deterministic():
    demo_national.build_national(7, producers=770, products=2310)
    first = list(Producer.objects.order_by("code").values_list("code", "name", "district_id")[:200])
    Product.standards.through.objects.all().delete()
    Product.objects.all().delete()
    Producer.objects.all().delete()

    demo_national.build_national(7, producers=770, products=2310)

    assert list(Producer.objects.order_by("code").values_list("code", "name", "district_id")[:200]) == first


def test_build_national_does_nothing_when_the_registry_is_full():
    demo_national.build_national(2565, producers=770, products=2310)

    assert demo_national.build_national(2565, producers=770, products=2310)["producers"] == 0


def test_plan_targets_share_products_like_producers():
    targets = demo_national.plan_targets(producers=7700, products=23100)

    assert sum(p for p, _ in targets.values()) == 7700
    assert sum(q for _, q in targets.values()) == 23100
    # Bangkok (10) has more subdistricts than Samut Songkhram (75).
    assert targets["10"][0] > targets["75"][0]


def test_build_demo_province_builds_lamphun_and_puts_the_logins_there():
    call_command("build_demo", province="51", stdout=open("/dev/null", "w"))

    per_province = dict(Producer.objects.values_list("province").annotate(n=Count("id")))
    assert per_province == {"51": demo.PRODUCERS}
    assert Product.objects.count() == demo.PRODUCTS
    assert province_code(User.objects.get(username="officer")) == "51"


def test_demo_users_include_a_national_and_a_lamphun_officer():
    users = demo.create_users()

    assert is_national(users["national"]) is True
    assert province_code(users["lamphun"]) == "51"
    assert [line.split()[0] for line in demo.login_lines(users)][3:5] == ["national", "lamphun"]
