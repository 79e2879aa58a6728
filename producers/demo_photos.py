"""Pictures and descriptions for the demo's products, so the scoring page shows what it would
show with real data (issue 14 §1).

Each picture is drawn by Pillow: a background in the product type's colours, a simple shape
(a jar, a bottle, a folded cloth, a vase, a bar of soap), the product's code and name. It then
goes through kbo_site.photos.prepare and producers.services.add_product_photos, as an officer's
upload would. Deterministic (no random numbers: the demo's seeded draws stay as they were) and
quick: a few products only.
"""

from io import BytesIO

from django.conf import settings

from kbo_site import lazy, photos

from . import services
from .choices import ProductType

Image = lazy.module("PIL.Image")
ImageDraw = lazy.module("PIL.ImageDraw")
ImageFont = lazy.module("PIL.ImageFont")

SIZE = (1200, 900)
# Background, shape and accent colours by product type.
COLOURS = {
    ProductType.FOOD: ("#fdf1dc", "#c0392b", "#f5b041"),
    ProductType.DRINK: ("#e3f2ef", "#1e8449", "#a9dfbf"),
    ProductType.TEXTILE: ("#efe6f5", "#6c3483", "#f1c40f"),
    ProductType.DECOR: ("#f3ece4", "#935116", "#d5a253"),
    ProductType.HERBAL: ("#eaf4e4", "#4d8b31", "#f7f9f2"),
}
DESCRIPTIONS = {
    ProductType.FOOD: "{name} ทำจากวัตถุดิบที่ปลูกในชุมชน ปรุงตามสูตรดั้งเดิมของกลุ่ม ไม่ใส่สารกันเสีย "
                      "บรรจุขวดแก้วปิดสนิท เก็บได้ 6 เดือน",
    ProductType.DRINK: "{name} ผลิตจากผลไม้ในท้องถิ่น ผ่านการพาสเจอร์ไรซ์ ไม่เติมสี บรรจุขวดขนาด 250 มล. "
                       "จำหน่ายที่ร้านของฝากและตลาดนัดชุมชน",
    ProductType.TEXTILE: "{name} ทอมือด้วยกี่พื้นบ้าน ฝ้ายย้อมสีธรรมชาติจากเปลือกไม้และครั่ง "
                         "ลายเฉพาะของหมู่บ้าน ผืนละประมาณ 2 เมตร",
    ProductType.DECOR: "{name} งานฝีมือของสมาชิกกลุ่ม ใช้วัสดุธรรมชาติในท้องถิ่น ทำทีละชิ้น "
                       "เหมาะเป็นของที่ระลึกและของตกแต่งบ้าน",
    ProductType.HERBAL: "{name} ผสมสมุนไพรที่กลุ่มปลูกเอง เช่น ขมิ้นชันและไพล ไม่มีสารกันเสีย "
                        "ผ่านการรับรองมาตรฐานผลิตภัณฑ์ชุมชน",
}


def description(product):
    return DESCRIPTIONS.get(product.product_type, DESCRIPTIONS[ProductType.DECOR]).format(name=product.name)


def _font(size, bold=False):
    return ImageFont.truetype(str(settings.SARABUN_DIR / f"Sarabun-{'Bold' if bold else 'Regular'}.ttf"), size)


def _shape(draw, product_type, shape, accent):
    cx, cy = SIZE[0] // 2, 400
    if product_type == ProductType.FOOD:  # a jar with a lid and a label
        draw.rounded_rectangle((cx - 170, cy - 170, cx + 170, cy + 230), 40, fill=shape)
        draw.rounded_rectangle((cx - 190, cy - 230, cx + 190, cy - 160), 20, fill=accent)
        draw.rectangle((cx - 170, cy - 40, cx + 170, cy + 90), fill="#fffaf0")
    elif product_type == ProductType.DRINK:  # a bottle
        draw.rectangle((cx - 45, cy - 260, cx + 45, cy - 150), fill=shape)
        draw.rounded_rectangle((cx - 130, cy - 160, cx + 130, cy + 240), 60, fill=shape)
        draw.rounded_rectangle((cx - 130, cy - 10, cx + 130, cy + 110), 10, fill=accent)
    elif product_type == ProductType.TEXTILE:  # a folded cloth with woven bands
        for i, colour in enumerate((shape, accent, shape, "#ffffff", shape, accent)):
            draw.rectangle((cx - 300, cy - 200 + i * 70, cx + 300, cy - 130 + i * 70), fill=colour)
        draw.polygon([(cx + 300, cy - 200), (cx + 360, cy - 150), (cx + 360, cy + 270), (cx + 300, cy + 220)],
                     fill=accent)
    elif product_type == ProductType.HERBAL:  # a bar of soap and a leaf
        draw.rounded_rectangle((cx - 220, cy - 80, cx + 220, cy + 140), 70, fill=accent, outline=shape, width=12)
        draw.ellipse((cx - 90, cy - 260, cx + 190, cy - 120), fill=shape)
    else:  # a vase
        draw.ellipse((cx - 190, cy - 120, cx + 190, cy + 240), fill=shape)
        draw.rectangle((cx - 70, cy - 230, cx + 70, cy - 90), fill=shape)
        draw.ellipse((cx - 190, cy + 20, cx + 190, cy + 70), fill=accent)


def picture(product, *, label=False):
    """A JPEG of the product (or, with `label`, of its label), as a phone would send it."""
    background, shape, accent = COLOURS.get(product.product_type, COLOURS[ProductType.DECOR])
    image = Image.new("RGB", SIZE, "#ffffff" if label else background)
    draw = ImageDraw.Draw(image)
    if label:
        draw.rectangle((60, 60, SIZE[0] - 60, SIZE[1] - 60), outline=shape, width=14)
        draw.text((SIZE[0] // 2, 210), product.name, font=_font(64, bold=True), fill=shape, anchor="mm")
        lines = ("ส่วนประกอบ: วัตถุดิบจากชุมชน", "ผลิตโดยกลุ่มผู้ผลิตชุมชน จังหวัดเชียงใหม่", "มผช. · ผลิตภัณฑ์ OTOP")
        for i, line in enumerate(lines):
            draw.text((SIZE[0] // 2, 400 + i * 90), line, font=_font(48), fill="#333333", anchor="mm")
    else:
        _shape(draw, product.product_type, shape, accent)
        draw.text((SIZE[0] // 2, 760), product.code, font=_font(72, bold=True), fill=shape, anchor="mm")
        draw.text((SIZE[0] // 2, 840), product.name, font=_font(44), fill="#333333", anchor="mm")
    out = BytesIO()
    image.save(out, "JPEG", quality=90)
    out.seek(0)
    return out


def add(products, *, by, labels=2):
    """Give `products` a description and a photo; the first `labels` also a photo of their
    label. Returns the number of photos added."""
    added = 0
    for index, product in enumerate(products):
        product.description = description(product)
        product.save(update_fields=["description"])
        prepared = [photos.prepare(picture(product))]
        if index < labels:
            prepared.append(photos.prepare(picture(product, label=True)))
        added += len(services.add_product_photos(product, prepared, by=by))
    return added
