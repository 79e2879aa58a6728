"""Permission rows of the development pages (issue 12), added to tests/selection/permission_cases.py.

The world: the selection world's committee has an approved round of two products; "mentor" is
a user off the committee who mentors the first. Officers of the province edit; a national
officer reads every page and edits none (`national=403`); the committee reads; the mentor reads
their product only, records its visits and marks its items done.
"""

from kbo_site import photos
from selection import development
from selection.models import DevelopmentRecord, MentorKind, StatusStage
from tests.factories import ProductFactory, UserFactory
from tests.kbo_site.test_photos import camera_jpeg
from tests.permissions import LOGGED_IN, Case
from tests.selection.development_world import approved_round

MANAGERS = {"officer", "admin"}
COMMITTEE = {"chair", "member", "secretary"}
READERS = MANAGERS | COMMITTEE
MENTOR = {"mentor"}
POST = {"method": "post", "ok": 302, "not_allowed_methods": ("get",)}
# National officers read every province's development and change none of it.
READ_ONLY = {"national": 403}

ROLES = {"mentor": lambda w: w["dev_mentor"]}


def build_world(world):
    officer = UserFactory(username="perm-dev-officer", groups=["officer"])
    products = [ProductFactory(code="PERM-DEV-1"), ProductFactory(code="PERM-DEV-2")]
    round_ = approved_round(committee=world["sel_chair"].committee, products=products, by=officer)
    first, second = (DevelopmentRecord.objects.get(round=round_, product=p) for p in products)
    world["dev_round"], world["dev_record"], world["dev_other"] = round_, first, second
    world["dev_mentor"] = UserFactory(username="perm-dev-mentor", first_name="ที่ปรึกษา")
    development.add_mentor(first, user=world["dev_mentor"], kind=MentorKind.EXPERT, by=officer)
    world["dev_removable"] = development.add_mentor(first, name="ผู้เชี่ยวชาญภายนอก", by=officer)
    development.save_plan(first, goal="", budget=None, starts_on=None, ends_on=None, version=None, by=officer,
                          items=[{"pk": None, "area": "packaging", "description": "ฉลาก", "due_on": None}])
    world["dev_item"] = first.items.get()
    visit = development.record_visit(first, visited_on=first.created_at.date(), kind="visit", people="ทีม",
                                     activities="ลงพื้นที่", by=officer)
    world["dev_photo"] = development._store_photo(first, photos.prepare(camera_jpeg(320, 240)), by=officer,
                                                  visit=visit)


def _round(w):
    return {"pk": w["dev_round"].pk}


def _record(w):
    return {"rid": w["dev_record"].pk}


STATUS_DATA = {"star_level": "3", "star_year": "2566", "classification": "C", "standards": "อย.",
               "price_per_unit": "80", "monthly_sales": "20000", "group_members": "20"}

CASES = [
    Case("selection:development_overview", allowed={LOGGED_IN}),
    Case("selection:development_board", scoped=True, kwargs=_round, allowed=READERS | MENTOR),
    Case("selection:development_detail", scoped=True, kwargs=_record, allowed=READERS | MENTOR),
    # The mentor of the first product does not read the second.
    Case("selection:development_detail", scoped=True, kwargs=lambda w: {"rid": w["dev_other"].pk}, allowed=READERS),
    Case("selection:development_photo", scoped=True, allowed=READERS | MENTOR,
         kwargs=lambda w: {"photo_pk": w["dev_photo"].pk, "size": "thumb"}),
    Case("selection:development_plan", scoped=True, kwargs=_record, allowed=MANAGERS, **READ_ONLY),
    Case("selection:development_plan", scoped=True, kwargs=_record, allowed=MANAGERS, method="post", ok=302,
         national=403, data=lambda w: {"goal": "ยกระดับ", "budget": "10000", "items-TOTAL_FORMS": "1",
                                       "items-INITIAL_FORMS": "0", "items-0-area": "marketing"}),
    Case("selection:development_mentor_add", scoped=True, kwargs=_record, allowed=MANAGERS, **POST, **READ_ONLY,
         data=lambda w: {"name": "อาจารย์มหาวิทยาลัย", "kind": "expert"}),
    Case("selection:development_mentor_remove", scoped=True, allowed=MANAGERS, **POST, **READ_ONLY,
         kwargs=lambda w: {"rid": w["dev_record"].pk, "mid": w["dev_removable"].pk}),
    Case("selection:development_item_done", scoped=True, allowed=MANAGERS | MENTOR, **POST, **READ_ONLY,
         kwargs=lambda w: {"rid": w["dev_record"].pk, "iid": w["dev_item"].pk}, data=lambda w: {"done": "1"}),
    Case("selection:development_visit_add", scoped=True, kwargs=_record, allowed=MANAGERS | MENTOR, **READ_ONLY),
    Case("selection:development_visit_add", scoped=True, kwargs=_record, allowed=MANAGERS | MENTOR, method="post",
         ok=302, national=403, data=lambda w: {"visited_on": "01/11/2569", "kind": "visit", "people": "ทีม",
                                               "activities": "ให้คำปรึกษา"}),
    Case("selection:development_status", scoped=True, allowed=MANAGERS, **READ_ONLY,
         kwargs=lambda w: {"rid": w["dev_record"].pk, "stage": StatusStage.BEFORE}),
    Case("selection:development_status", scoped=True, allowed=MANAGERS, method="post", ok=302, national=403,
         kwargs=lambda w: {"rid": w["dev_record"].pk, "stage": StatusStage.AFTER}, data=lambda w: STATUS_DATA),
]
