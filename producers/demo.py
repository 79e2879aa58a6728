"""The demo registry: Chiang Mai's OTOP producers and products, generated from a fixed seed.

Called by `manage.py build_demo` (the `registry` stage, which every later stage builds on).
The registry has exactly 2,531 producers and 7,192 products registered 2557–2564 BE, like
the one presented at meeting 1/2565, spread over the province's 25 districts and their real
subdistricts and postcodes (the rows loaded from geothai).

Generation is split from writing: `plan_registry(rng, ...)` returns plain dicts (pure Python,
deterministic for a seed), `build_registry(rng)` writes them with bulk_create.
"""

from collections import Counter

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.db.models import Max, Min
from django.utils import timezone

from kbo_site.thaidates import format_date

from .columns import COLUMNS
from .exporting import product_rows
from .models import (
    Affiliation,
    Classification,
    District,
    Producer,
    ProducerType,
    Product,
    ProductType,
    Province,
    Standard,
    Subdistrict,
)

PRODUCERS = 2531
PRODUCTS = 7192
REGISTRATION_YEARS = range(2557, 2565)
OPC_YEARS = (2559, 2562, 2564)
MAX_PRODUCTS_PER_PRODUCER = 12

# One password for every demo login; it passes Django's password validators.
DEMO_PASSWORD = "kbo-demo-2565"

# The import format (issue 2): one row per product, producer columns repeated, in this order.
WORKBOOK_HEADERS = tuple(column.header for column in COLUMNS)

# --- Shares -------------------------------------------------------------------------------
# Population-like weights, raised for the craft districts (San Kamphaeng, Hang Dong, the city).
DISTRICT_WEIGHTS = {
    "5001": 240, "5002": 95, "5003": 75, "5004": 70, "5005": 90, "5006": 80, "5007": 100,
    "5008": 40, "5009": 110, "5010": 70, "5011": 60, "5012": 85, "5013": 150, "5014": 125,
    "5015": 140, "5016": 50, "5017": 35, "5018": 55, "5019": 95, "5020": 25, "5021": 50,
    "5022": 40, "5023": 35, "5024": 35, "5025": 25,
}
MIN_PRODUCERS_PER_DISTRICT = 10
PRODUCER_TYPE_WEIGHTS = {ProducerType.COMMUNITY_GROUP: 74, ProducerType.SINGLE_OWNER: 17, ProducerType.SME: 9}
# The registry's early years carry the first big registration round.
YEAR_WEIGHTS = {2557: 21, 2558: 12, 2559: 14, 2560: 11, 2561: 12, 2562: 10, 2563: 9, 2564: 11}
CLASSIFICATION_WEIGHTS = {"A": 8, "B": 16, "C": 24, "D": 52}
# Latest OPC star level by classification; None is unrated.
STARS_BY_CLASSIFICATION = {
    "A": {5: 40, 4: 50, 3: 10},
    "B": {4: 30, 3: 50, 2: 20},
    "C": {3: 30, 2: 40, 1: 20, None: 10},
    "D": {None: 84, 1: 11, 2: 5},
}
# (standard, probability) for a product that holds standards (A–C); D holds none.
STANDARD_ODDS = {
    ProductType.FOOD: (("อย.", 0.8), ("มผช.", 0.55), ("GMP", 0.25), ("HACCP", 0.07), ("ฮาลาล", 0.05)),
    ProductType.DRINK: (("อย.", 0.85), ("มผช.", 0.45), ("GMP", 0.3), ("HACCP", 0.08)),
    ProductType.TEXTILE: (("มผช.", 0.95), ("มอก.", 0.08)),
    ProductType.DECOR: (("มผช.", 0.92), ("มอก.", 0.12)),
    ProductType.HERBAL: (("อย.", 0.7), ("มผช.", 0.6), ("GMP", 0.2), ("ฮาลาล", 0.04)),
}

# --- What Chiang Mai makes ----------------------------------------------------------------
# (family, product type, variants, specialty places (district code, subdistrict name or None)).
# A variant with "{}" is the whole name with the family put in; otherwise "family variant".
FAMILIES = (
    ("น้ำพริกหนุ่ม", ProductType.FOOD, ("สูตรดั้งเดิม", "สูตรเผ็ดน้อย", "สูตรเผ็ดมาก", "ผสมแคบหมู",
                                       "บรรจุกระปุก 100 กรัม", "บรรจุถุง 200 กรัม"), (("5001", None), ("5014", None))),
    ("น้ำพริกอ่อง", ProductType.FOOD, ("สูตรดั้งเดิม", "กึ่งสำเร็จรูป", "บรรจุกระปุก 150 กรัม"), (("5001", None),)),
    ("แคบหมู", ProductType.FOOD, ("ไร้มัน", "ติดมัน", "สูตรโบราณ", "รสพริกลาบ", "ชนิดแผ่น"),
     (("5001", None), ("5014", None), ("5019", None))),
    ("ไส้อั่ว", ProductType.FOOD, ("หมูสมุนไพร", "สูตรโบราณ", "ไก่สมุนไพร", "บรรจุสุญญากาศ"),
     (("5001", None), ("5015", None))),
    ("แหนมหมู", ProductType.FOOD, ("ห่อใบตอง", "ชนิดแท่ง", "ชนิดตุ้ม"), (("5014", None),)),
    ("ลำไยอบแห้ง", ProductType.FOOD, ("ทั้งเปลือก", "เนื้อสีทอง", "เนื้อสีทอง เกรดพรีเมียม", "ชนิดเม็ดใหญ่"),
     (("5019", None), ("5012", None), ("5002", None), ("5016", None), ("5024", None))),
    ("ข้าวแต๋นน้ำแตงโม", ProductType.FOOD, ("ราดน้ำอ้อย", "รสดั้งเดิม", "หน้าธัญพืช"), (("5019", None),)),
    ("สตรอว์เบอร์รีอบแห้ง", ProductType.FOOD, ("สูตรน้ำผึ้ง", "ชนิดแช่อิ่ม"), (("5008", None),)),
    ("ข้าวกล้องงอก", ProductType.FOOD, ("ข้าวก่ำ", "ข้าวหอมมะลิ", "ข้าวไรซ์เบอร์รี"), (("5011", None), ("5004", None))),
    ("น้ำผึ้งดอกลำไย", ProductType.FOOD, ("ขนาด 250 กรัม", "ขนาด 500 กรัม", "ชนิดครีม"), (("5005", None),)),
    ("ถั่วเน่าแผ่น", ProductType.FOOD, ("ชนิดแผ่น", "ชนิดผง", "น้ำพริก{}"), (("5020", None), ("5011", None))),
    ("กล้วยตาก", ProductType.FOOD, ("อบน้ำผึ้ง", "ชนิดแผ่น", "พลังงานแสงอาทิตย์"), (("5017", None),)),
    ("ชาอู่หลง", ProductType.DRINK, ("เบอร์ 12", "ก้านอ่อน", "ชนิดซองชา", "อัสสัม"),
     (("5009", None), ("5010", None), ("5006", None), ("5004", None))),
    ("กาแฟอาราบิก้า", ProductType.DRINK, ("คั่วอ่อน", "คั่วกลาง", "คั่วเข้ม", "ชนิดเมล็ด", "ชนิดบด", "ดริปแบ็ก"),
     (("5023", None), ("5008", None), ("5006", None), ("5018", None), ("5025", None), ("5005", None),
      ("5020", None), ("5003", None))),
    ("ชาใบหม่อน", ProductType.DRINK, ("ชนิดซอง", "ชนิดใบ"), (("5007", None),)),
    ("ชาดอกคำฝอย", ProductType.DRINK, ("ชนิดซอง", "ชนิดดอกแห้ง"), (("5021", None),)),
    ("น้ำลำไยสกัดเข้มข้น", ProductType.DRINK, ("ขวดแก้ว 250 มล.", "ขวดพลาสติก 500 มล."), (("5019", None),)),
    ("น้ำมะขามป้อม", ProductType.DRINK, ("ขวด 180 มล.", "ชนิดผง"), (("5022", None),)),
    ("ผ้าซิ่นตีนจก", ProductType.TEXTILE, ("ลายนกคุ้ม", "ลายขันดอก", "ลายโคม", "ลายหงส์", "ลายเชียงแสน", "ลายละกอนเหนือ"),
     (("5003", "ท่าผา"), ("5003", "ช่างเคิ่ง"), ("5016", None), ("5017", None), ("5002", None))),
    ("ผ้าฝ้ายทอมือ", ProductType.TEXTILE, ("ย้อมสีธรรมชาติ", "ลายน้ำไหล", "ลายดอกพิกุล", "ผืนยาว 2 เมตร", "ลายขิด"),
     (("5013", None), ("5005", None), ("5002", None), ("5012", None))),
    ("ผ้าย้อมคราม", ProductType.TEXTILE, ("ผ้าพันคอ{}", "เสื้อคอจีน{}", "ผ้าถุง{}"), (("5011", None),)),
    ("ผ้าทอกะเหรี่ยง", ProductType.TEXTILE, ("ย่าม{}", "เสื้อ{}", "ผ้าซิ่น{}", "ผ้าคลุมไหล่{}"),
     (("5018", None), ("5025", None), ("5003", None), ("5022", None))),
    ("ผ้าปักม้ง", ProductType.TEXTILE, ("กระเป๋า{}", "ผ้าพันคอ{}", "เสื้อ{}"), (("5006", None), ("5004", None), ("5007", None))),
    ("เสื้อผ้าฝ้ายพื้นเมือง", ProductType.TEXTILE, ("เสื้อหม้อห้อม", "เสื้อคอกลม", "กางเกงเล", "ชุดสตรี"), (("5012", None),)),
    ("กระเป๋าผ้าทอ", ProductType.TEXTILE, ("ทรงหูรูด", "สะพายข้าง", "ใส่เหรียญ"), (("5013", None),)),
    ("ร่มบ่อสร้าง", ProductType.DECOR, ("ร่มกระดาษสา ขนาด 20 นิ้ว", "ร่มผ้าฝ้าย ลายดอกไม้", "ร่มจิ๋วของที่ระลึก",
                                        "ร่มประดับสวน ขนาด 40 นิ้ว"), (("5013", "ต้นเปา"),)),
    ("กระดาษสา", ProductType.DECOR, ("สมุดบันทึก{}", "{}ลายดอกไม้", "โคมไฟ{}", "กล่องของขวัญ{}", "พัด{}"),
     (("5013", "ต้นเปา"), ("5001", None))),
    ("เครื่องเขิน", ProductType.DECOR, ("ถาดลายทอง", "ขันโตก", "กล่องใส่ของ", "พานแว่นฟ้า"), (("5001", "หายยา"),)),
    ("เครื่องเงินวัวลาย", ProductType.DECOR, ("สลุงเงิน", "ต่างหู", "กำไล", "ขันเงินดุนลาย"), (("5001", "หายยา"),)),
    ("แกะสลักไม้", ProductType.DECOR, ("ช้างไม้สัก", "บานประตูไม้สัก", "กรอบรูปไม้", "ตุ๊กตาไม้"), (("5015", "ขุนคง"),)),
    ("เครื่องปั้นดินเผา", ProductType.DECOR, ("แจกัน{}", "ครก{}", "โคม{}", "เซรามิกเคลือบ"),
     (("5015", "หนองควาย"), ("5013", None))),
    ("โคมล้านนา", ProductType.DECOR, ("โคมรังมดส้ม", "โคมเงี้ยว", "โคมกระดาษสา"), (("5001", None), ("5019", None))),
    ("จักสานไม้ไผ่", ProductType.DECOR, ("ตะกร้า{}", "กระติบข้าว{}", "ก๋วย{}"), (("5011", None), ("5021", None))),
    ("ตุงล้านนา", ProductType.DECOR, ("ตุงไส้หมู", "ตุงผ้าทอ", "ตุงค่าคิง"), (("5005", None),)),
    ("เทียนหอม", ProductType.DECOR, ("กลิ่นตะไคร้", "กลิ่นดอกแก้ว", "รูปดอกไม้"), (("5007", None),)),
    ("ลูกประคบสมุนไพร", ProductType.HERBAL, ("สูตรดั้งเดิม", "ขนาด 150 กรัม", "แบบนึ่งพร้อมใช้"), (("5014", None),)),
    ("ยาหม่องสมุนไพร", ProductType.HERBAL, ("สูตรไพล", "สูตรเสลดพังพอน", "ขี้ผึ้งเหลือง"), (("5009", None),)),
    ("สบู่สมุนไพร", ProductType.HERBAL, ("น้ำผึ้งดอกลำไย", "ขมิ้นชัน", "ถ่านไม้ไผ่", "น้ำนมข้าว"), (("5007", None),)),
    ("น้ำมันนวดไพล", ProductType.HERBAL, ("ขวด 60 มล.", "สูตรร้อน"), (("5015", None),)),
    ("แชมพูสมุนไพร", ProductType.HERBAL, ("มะกรูด", "อัญชัน", "ประคำดีควาย"), (("5012", None),)),
    ("ครีมบำรุงผิว", ProductType.HERBAL, ("สารสกัดลำไย", "น้ำนมข้าว", "บัวบก"), (("5001", None),)),
)
PRODUCT_TYPE_WEIGHTS = {ProductType.FOOD: 35, ProductType.DRINK: 10, ProductType.TEXTILE: 24,
                        ProductType.DECOR: 23, ProductType.HERBAL: 8}
# The share of producers whose main product is one their district is known for.
SPECIALTY_SHARE = 0.45

GROUP_NAMES = {
    ProductType.FOOD: ("กลุ่มแม่บ้าน{village}", "กลุ่มแม่บ้านเกษตรกร{village}", "วิสาหกิจชุมชน{family}{village}",
                       "กลุ่มแปรรูปผลผลิตการเกษตร{village}", "กลุ่ม{family}{village}"),
    ProductType.DRINK: ("วิสาหกิจชุมชน{family}{village}", "กลุ่มผู้ผลิต{family}{village}", "กลุ่มเกษตรกร{village}"),
    ProductType.TEXTILE: ("กลุ่มทอผ้า{village}", "กลุ่ม{family}{village}", "กลุ่มสตรีทอผ้า{village}",
                          "วิสาหกิจชุมชนกลุ่มทอผ้า{village}"),
    ProductType.DECOR: ("กลุ่มหัตถกรรม{family}{village}", "กลุ่ม{family}{village}", "วิสาหกิจชุมชน{family}{village}",
                        "กลุ่มอาชีพ{village}"),
    ProductType.HERBAL: ("กลุ่มสมุนไพร{village}", "วิสาหกิจชุมชนสมุนไพร{village}", "กลุ่มแม่บ้าน{village}"),
}
# A single owner's business carries the owner's name: "น้ำพริกหนุ่มแม่บัวคำ".
OWNER_NAMES = {
    "woman": ("{family}แม่{first}", "{family}ป้า{first}", "ร้าน{family}ป้า{first}", "บ้าน{family}ครู{first}",
              "{family}{first}"),
    "man": ("{family}พ่อ{first}", "{family}ลุง{first}", "ร้าน{family}ลุง{first}", "บ้าน{family}ครู{first}",
            "{family}{first}"),
}
SME_NAMES = ("บริษัท {brand} จำกัด", "ห้างหุ้นส่วนจำกัด {brand}", "บริษัท {brand} เชียงใหม่ จำกัด")
BRAND_WORDS = ("คราฟท์", "โกลด์", "เฮอร์บ", "ฟู้ด", "อาร์ต", "ดีไซน์", "คอฟฟี่", "แฮนด์เมด", "ออร์แกนิค", "เฮอริเทจ")
BRAND_PLACES = ("ล้านนา", "เชียงใหม่", "ดอยคำ", "พิงค์", "ระมิงค์", "เวียงพิง")

VILLAGE_HEADS = ("ป่า", "ดอน", "สัน", "หนอง", "ทุ่ง", "ห้วย", "แม่", "ต้น", "โป่ง", "ปง", "หัว", "ท่า", "เหมือง", "ร้อง", "กาด",
                 "สบ", "ป่าไผ่", "ดอย", "ศรี", "บ่อ")
VILLAGE_TAILS = ("ใหม่", "หลวง", "เหนือ", "ใต้", "แก้ว", "ทราย", "ยาง", "ม่วง", "ขาม", "ผึ้ง", "ตอง", "สะแล่ง", "เปา", "ไร่",
                 "คำ", "ทอง", "งาม", "มูล", "แดง", "เกี๋ยง", "ลาน", "ดู่", "หอย", "เฟือง", "จำปา", "ก๋ง", "แหน", "ปิง")

WOMEN = ("บัวคำ", "ศรีนวล", "จันทร์ทิพย์", "คำแปง", "บุญศรี", "แสงเดือน", "ดวงใจ", "สมพร", "อำไพ", "พิมพ์ใจ", "บัวผัน",
         "คำป้อ", "ศรีพรรณ", "นงลักษณ์", "อรุณี", "จันทร์แก้ว", "วันเพ็ญ", "สุนีย์", "เกศินี", "ทองใบ", "แก้วตา", "ลำดวน",
         "สุภาพ", "กาญจนา", "บุษบา", "รัตนา", "เพ็ญศรี", "ชไมพร", "ปราณี", "มณีรัตน์")
MEN = ("คำปัน", "บุญมา", "สมบูรณ์", "อินถา", "ประเสริฐ", "สุรินทร์", "ทองคำ", "บุญเรือง", "จันทร์ตา", "สมศักดิ์", "ศรีมูล",
       "วิชัย", "ประพันธ์", "สุพจน์", "อุดม", "คำมูล", "มานพ", "บุญทา", "ชัยวัฒน์", "สมชาย", "ณรงค์", "พงษ์ศักดิ์",
       "เสาร์แก้ว", "อินทร", "จำรัส")
SURNAMES = ("ใจมา", "ปัญญาวงศ์", "อินต๊ะ", "คำมูล", "ศรีวิชัย", "กันทะวงศ์", "ไชยวงศ์", "ยานะ", "ธิวงศ์", "สุริยะ",
            "แสนคำ", "อินทะจักร", "ปันแก้ว", "วงศ์ไชย", "คำฟู", "จันทร์ต๊ะมา", "ดวงแก้ว", "ตาคำ", "ใจคำ", "บุญยืน",
            "ศรีบุญเรือง", "พรหมวงศ์", "มูลเมือง", "ชัยมงคล", "แก้วมณี", "สุวรรณ", "ปัญญาดี", "อุ่นเรือน", "ไชยลังการ",
            "ทาแกง", "กาวิละ", "ณ ลำพูน", "ธรรมชัย", "สิทธิวงศ์", "จอมคำ", "ปิงเมือง")


# --- Users --------------------------------------------------------------------------------
# (username, group, first name with its title, last name, position).
REGISTRY_USERS = (
    ("admin", "admin", "นางสาวพิมพ์ชนก", "ศรีสุข", "นักวิชาการคอมพิวเตอร์ สำนักงานพัฒนาชุมชนจังหวัดเชียงใหม่"),
    ("officer", "officer", "นายธนพล", "อินทร์แก้ว", "นักวิชาการพัฒนาชุมชนชำนาญการ"),
    ("viewer", "viewer", "นางสุดารัตน์", "คำภีระ", "เจ้าพนักงานธุรการ"),
)
# Province scope (issue 5): (username, group, province code or None for the national level,
# first name, last name, position).
SCOPE_USERS = (
    ("national", "officer", None, "นางสาวกัญญารัตน์", "มหาวงศ์",
     "นักวิชาการพัฒนาชุมชนชำนาญการพิเศษ กองส่งเสริมภูมิปัญญาท้องถิ่นและวิสาหกิจชุมชน กรมการพัฒนาชุมชน"),
    ("lamphun", "officer", "51", "นายอนุชา", "ธิมา", "นักวิชาการพัฒนาชุมชนชำนาญการ สำนักงานพัฒนาชุมชนจังหวัดลำพูน"),
)
COMMITTEE_USERS = (
    ("chair", "นายวรญาณ", "บุญณราช", "รองผู้ว่าราชการจังหวัดเชียงใหม่"),
    ("member1", "นางลัดดา", "พรหมเมือง", "ผู้อำนวยการกลุ่มงานส่งเสริมการพัฒนาชุมชน"),
    ("member2", "นายสมเกียรติ", "วงศ์ษา", "พาณิชย์จังหวัดเชียงใหม่"),
    ("member3", "นางอรวรรณ", "ชัยประเสริฐ", "อุตสาหกรรมจังหวัดเชียงใหม่"),
    ("member4", "นายประสิทธิ์", "คำแสน", "เกษตรจังหวัดเชียงใหม่"),
    ("member5", "ผศ.ดร.กนกวรรณ", "ศรีวงศ์ษา", "ผู้แทนคณะอุตสาหกรรมเกษตร มหาวิทยาลัยเชียงใหม่"),
    ("member6", "นายบุญเลิศ", "ตาคำ", "ประธานเครือข่ายผู้ผลิต ผู้ประกอบการ OTOP จังหวัดเชียงใหม่"),
    ("member7", "นางจิราพร", "อินทร์ปัญญา", "ผู้อำนวยการศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1"),
    ("secretary", "นายเจริญ", "สีวาโย", "พัฒนาการจังหวัดเชียงใหม่"),
)


def registry_exists():
    """True when the database already holds producers or products."""
    return Producer.objects.exists() or Product.objects.exists()


def create_users():
    """Create the demo logins, all with the password DEMO_PASSWORD. Returns:

    - "admin", "officer", "viewer": Users in the registry groups of those names;
    - "committee": 9 Users with no group, [0] the chair (นายวรญาณ บุญณราช), [1]–[7] the members
      ([1] นางลัดดา พรหมเมือง), [8] the secretary (นายเจริญ สีวาโย); their round roles are given by
      selection.demo;
    - "national": an officer at the national level (sees every province), "lamphun": an officer
      of Lamphun (51);
    - "positions": {user.pk: position (ตำแหน่ง) in Thai} for all fourteen users.

    Thai titles (นาย, นาง, ดร.) are part of first_name, so get_full_name() is the name as the
    minutes write it: "นายวรญาณ บุญณราช".
    """
    validate_password(DEMO_PASSWORD)
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    groups = {group.name: group for group in Group.objects.all()}
    users, positions = {}, {}
    for username, group, first, last, position in REGISTRY_USERS:
        user = User.objects.create(username=username, first_name=first, last_name=last, password=password,
                                   email=f"{username}@kbo-demo.invalid")
        user.groups.add(groups[group])
        if group == "admin":
            # The demo admin also gets Django's admin site (/admin/) for looking at raw rows.
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        users[username] = user
        positions[user.pk] = position
    for username, group, province_code, first, last, position in SCOPE_USERS:
        user = User.objects.create(username=username, first_name=first, last_name=last, password=password,
                                   email=f"{username}@kbo-demo.invalid")
        user.groups.add(groups[group])
        Affiliation.objects.create(user=user, province_id=province_code)
        users[username] = user
        positions[user.pk] = position
    committee = []
    for username, first, last, position in COMMITTEE_USERS:
        user = User.objects.create(username=username, first_name=first, last_name=last, password=password,
                                   email=f"{username}@kbo-demo.invalid")
        committee.append(user)
        positions[user.pk] = position
    users["committee"] = committee
    users["positions"] = positions
    return users


ROLE_LABELS = {"admin": "ผู้ดูแลระบบ (นำเข้าทะเบียน)", "officer": "เจ้าหน้าที่ (แก้ไขทะเบียน)",
               "viewer": "ผู้ดูข้อมูล (อ่านอย่างเดียว)",
               "national": "เจ้าหน้าที่ระดับประเทศ (เห็นทุกจังหวัด)",
               "lamphun": "เจ้าหน้าที่จังหวัดลำพูน (เห็นเฉพาะจังหวัดลำพูน)"}


def login_lines(users):
    """One line per demo login: "username / password  name, role"."""
    lines = []
    for role in ("admin", "officer", "viewer", "national", "lamphun"):
        user = users[role]
        lines.append(f"{user.username:<10} / {DEMO_PASSWORD}   {user.get_full_name()}, {ROLE_LABELS[role]}")
    roles = ["ประธาน"] + ["กรรมการ"] * 7 + ["เลขานุการ"]
    for user, role in zip(users["committee"], roles):
        position = users["positions"].get(user.pk, "")
        lines.append(f"{user.username:<10} / {DEMO_PASSWORD}   {user.get_full_name()}, {role} ({position})")
    return lines


# --- The registry -------------------------------------------------------------------------

def _weighted(rng, weights):
    """One key of {key: weight}, in the dict's order (deterministic for a seed)."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _allocate(total, weights, minimum):
    """Split total into integer parts proportional to weights, each at least minimum (largest remainder)."""
    keys = list(weights)
    rest = total - minimum * len(keys)
    scale = rest / sum(weights.values())
    exact = {k: weights[k] * scale for k in keys}
    parts = {k: minimum + int(exact[k]) for k in keys}
    short = total - sum(parts.values())
    for k in sorted(keys, key=lambda k: exact[k] - int(exact[k]), reverse=True)[:short]:
        parts[k] += 1
    return parts


def _products_per_producer(rng, producers, products):
    """Every producer makes at least one product; a few make many (a skewed spread)."""
    counts = [1] * producers
    appetite = [rng.lognormvariate(0, 1.0) for _ in range(producers)]
    extra = products - producers
    while extra:
        for index in rng.choices(range(producers), weights=appetite, k=extra):
            if extra and counts[index] < MAX_PRODUCTS_PER_PRODUCER:
                counts[index] += 1
                extra -= 1
    return counts


def _person(rng):
    title = rng.choices(("นาง", "นาย", "นางสาว"), weights=(50, 32, 18))[0]
    first = rng.choice(MEN if title == "นาย" else WOMEN)
    return title, first, rng.choice(SURNAMES)


def _phone(rng):
    return rng.choice(("08", "09")) + str(rng.randint(1, 9)) + f"{rng.randrange(10**7):07d}"


def _village(rng, subdistrict_name):
    if rng.random() < 0.35:
        return subdistrict_name if subdistrict_name.startswith("บ้าน") else "บ้าน" + subdistrict_name
    return "บ้าน" + rng.choice(VILLAGE_HEADS) + rng.choice(VILLAGE_TAILS)


def _product_name(family, variant):
    return variant.format(family) if "{}" in variant else f"{family} {variant}"


def _standards(rng, product_type, classification):
    if classification == Classification.D:
        return ()
    odds = STANDARD_ODDS[product_type]
    held = [name for name, chance in odds if rng.random() < chance]
    # GMP, HACCP and halal come on top of a product standard (อย. or มผช.), never alone.
    if not {"อย.", "มผช."} & set(held):
        held.append(odds[0][0])
    if classification == Classification.A and len(held) < 2 and len(odds) > 1:
        held.append(odds[1][0] if odds[1][0] not in held else odds[0][0])
    return tuple(sorted(set(held)))


def plan_registry(rng, districts, producers=PRODUCERS, products=PRODUCTS):
    """The demo registry as plain data, deterministic for the rng's seed.

    districts: [(district code, [(subdistrict code, name, [postcodes]), ...]), ...] in code order.
    Returns (producer dicts, product dicts); a product's "producer" is its producer's index.
    """
    subdistricts = dict(districts)
    weights = {code: DISTRICT_WEIGHTS.get(code, 30) for code, _ in districts}
    minimum = min(MIN_PRODUCERS_PER_DISTRICT, producers // len(districts))
    per_district = _allocate(producers, weights, minimum)
    families_by_type = {}
    for family in FAMILIES:
        families_by_type.setdefault(family[1], []).append(family)
    specialties = {}
    for family in FAMILIES:
        for district_code, subdistrict_name in family[3]:
            specialties.setdefault(district_code, []).append((family, subdistrict_name))

    producer_rows = []
    for district_code, _ in districts:
        for seq in range(1, per_district[district_code] + 1):
            subs = subdistricts[district_code]
            sub = rng.choice(subs)
            family = None
            if district_code in specialties and rng.random() < SPECIALTY_SHARE:
                family, place = rng.choice(specialties[district_code])
                if place and rng.random() < 0.75:
                    sub = next((s for s in subs if s[1] == place), sub)
            if family is None:
                family = rng.choice(families_by_type[_weighted(rng, PRODUCT_TYPE_WEIGHTS)])
            year = _weighted(rng, YEAR_WEIGHTS)
            producer_type = _weighted(rng, PRODUCER_TYPE_WEIGHTS)
            title, first, last = _person(rng)
            if producer_type == ProducerType.COMMUNITY_GROUP:
                name = rng.choice(GROUP_NAMES[family[1]]).format(family=family[0], village=_village(rng, sub[1]))
            elif producer_type == ProducerType.SINGLE_OWNER:
                templates = OWNER_NAMES["man" if title == "นาย" else "woman"]
                name = rng.choice(templates).format(family=family[0], first=first)
            else:
                brand = rng.choice(BRAND_PLACES) + rng.choice(BRAND_WORDS)
                name = rng.choice(SME_NAMES).format(brand=brand)
            house = str(rng.randint(1, 250)) + (f"/{rng.randint(1, 9)}" if rng.random() < 0.15 else "")
            producer_rows.append({
                "code": f"{district_code}{year % 100:02d}{seq:04d}",
                "name": name,
                "producer_type": producer_type,
                "contact_name": f"{title}{first} {last}",
                "phone": _phone(rng),
                "house_no": house,
                "village_no": rng.randint(1, 15),
                "district": district_code,
                "subdistrict": sub[0],
                "postcode": rng.choice(sub[2]) if sub[2] else "",
                "registration_year": year,
                "family": family,
            })

    product_rows = []
    for index, count in enumerate(_products_per_producer(rng, len(producer_rows), products)):
        producer = producer_rows[index]
        family = producer.pop("family")
        used = set()
        for k in range(1, count + 1):
            # Mostly more of the same craft; a group that makes food makes other food.
            if k > 1 and rng.random() < 0.3:
                family = rng.choice(families_by_type[family[1]] if rng.random() < 0.8 else FAMILIES)
            fresh = [v for v in family[2] if (family[0], v) not in used]
            while not fresh:
                family = rng.choice(families_by_type[family[1]] if rng.random() < 0.8 else FAMILIES)
                fresh = [v for v in family[2] if (family[0], v) not in used]
            variant = rng.choice(fresh)
            used.add((family[0], variant))
            classification = _weighted(rng, CLASSIFICATION_WEIGHTS)
            stars = _weighted(rng, STARS_BY_CLASSIFICATION[classification])
            star_year = None
            if stars is not None:
                star_year = rng.choice([y for y in OPC_YEARS if y >= producer["registration_year"]])
            product_rows.append({
                "producer": index,
                "code": f"{producer['code']}-{k:02d}",
                "name": _product_name(family[0], variant),
                "product_type": family[1],
                "classification": classification,
                "star_level": stars,
                "star_year": star_year,
                "standards": _standards(rng, family[1], classification),
            })
    return producer_rows, product_rows


def province_geography(province_code=None):
    """[(district code, [(subdistrict code, name, [postcodes]), ...]), ...] from the database."""
    province_code = province_code or settings.KBO_PROVINCE_CODE
    subs = {}
    for code, district_id, name, postcodes in Subdistrict.objects.filter(
            district__province_id=province_code).order_by("code").values_list(
            "code", "district_id", "name_th", "postcodes"):
        subs.setdefault(district_id, []).append((code, name, postcodes.split()))
    codes = District.objects.filter(province_id=province_code).order_by("code").values_list("code", flat=True)
    return [(code, subs[code]) for code in codes if subs.get(code)]


def build_registry(rng, producers=PRODUCERS, products=PRODUCTS, province_code=None):
    """Write the demo registry of one province (the instance's own by default) into the
    database with bulk inserts.

    Side effects: creates the standards it uses, the producers, the products and their
    standards. Returns {"producers": n, "products": n}.
    """
    province = Province.objects.get(code=province_code or settings.KBO_PROVINCE_CODE)
    producer_rows, product_rows = plan_registry(rng, province_geography(province.code), producers, products)
    names = sorted({name for row in product_rows for name in row["standards"]})
    standards = {s.name: s for s in (Standard.objects.get_or_create(name=name)[0] for name in names)}
    created = Producer.objects.bulk_create(
        [Producer(province=province, district_id=row.pop("district"), subdistrict_id=row.pop("subdistrict"), **row)
         for row in producer_rows], batch_size=1000)
    product_objects = []
    for row in product_rows:
        fields = {k: v for k, v in row.items() if k not in ("producer", "standards")}
        product_objects.append(Product(producer=created[row["producer"]], **fields))
    product_objects = Product.objects.bulk_create(product_objects, batch_size=1000)
    Through = Product.standards.through
    Through.objects.bulk_create(
        [Through(product_id=product.pk, standard_id=standards[name].pk)
         for product, row in zip(product_objects, product_rows) for name in row["standards"]],
        batch_size=2000)
    return {"producers": len(created), "products": len(product_objects)}


def write_workbook(path, province_code=None):
    """Write the registry as an import workbook (.xlsx): title rows, then the header on row 4.

    Uses openpyxl's write-only mode, so memory stays flat whatever the registry's size.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ทะเบียน OTOP")
    province_code = province_code or settings.KBO_PROVINCE_CODE
    province = Province.objects.get(code=province_code)
    years = Producer.objects.filter(province=province).aggregate(low=Min("registration_year"),
                                                                 high=Max("registration_year"))
    low, high = years["low"], years["high"]
    sheet.append([f"ทะเบียนผู้ผลิต ผู้ประกอบการ OTOP จังหวัด{province.name_th}"
                  + (f" ปีที่ลงทะเบียน {low}-{high}" if low else "")])
    sheet.append([f"สำนักงานพัฒนาชุมชนจังหวัด{province.name_th} ข้อมูล ณ วันที่ {format_date(timezone.localdate())}"])
    sheet.append([])
    sheet.append(list(WORKBOOK_HEADERS))
    products = Product.objects.filter(producer__province=province).order_by("producer__code", "code")
    for row in product_rows(products, COLUMNS):
        sheet.append(row)
    workbook.save(path)


def summary(producer_rows, product_rows):
    """Shares of the plan, for a person checking that the demo looks like a registry."""
    return {
        "producer_type": Counter(row["producer_type"] for row in producer_rows),
        "product_type": Counter(row["product_type"] for row in product_rows),
        "classification": Counter(row["classification"] for row in product_rows),
        "star_level": Counter(row["star_level"] for row in product_rows),
    }
