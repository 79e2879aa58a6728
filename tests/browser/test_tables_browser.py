"""Names in tables do not break inside a word, on a phone (390 px) or a desktop.

Chromium breaks Thai lines between dictionary words, so a cell narrower than a name split
"เมือง/เชียงใหม่" and "วิสาหกิจชุมชนน้ำ/พริกอ่อง…" (CSS `word-break: keep-all` does not stop
it for Thai). Producers', people's and places' names never wrap; a product's name may wrap
at its own spaces ("น้ำพริกอ่อง บรรจุกระปุก / 150 กรัม"); a table wider than the phone scrolls.
The check reads where the browser put each character: wherever a name's next character
starts a new line, the name must have a space there.
"""

import pytest

from selection.models import RoundState
from tests.factories import ProducerFactory, ProductFactory, SelectionRoundFactory, SubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAMES = [
    # (producer, product, district code)
    ("วิสาหกิจชุมชนน้ำพริกอ่องบ้านสบไร่", "น้ำพริกอ่อง บรรจุกระปุก 150 กรัม", "5001"),
    ("ห้างหุ้นส่วนจำกัด เชียงใหม่ฟู้ด", "แกะสลักไม้ บานประตูไม้สัก", "5001"),
    ("วิสาหกิจชุมชนกลุ่มทอผ้าบ้านป่าไผ่คำ", "ผ้าซิ่นตีนจก ลายโคม", "5002"),
    ("กลุ่มผู้ผลิตชาดอกคำฝอยบ้านร้องตอง", "ชาดอกคำฝอย ชนิดดอกแห้ง", "5021"),
    ("กลุ่มหัตถกรรมร่มบ่อสร้างบ้านกาดลาน", "โคมล้านนา โคมรังมดส้ม", "5019"),
    ("วิสาหกิจชุมชนกลุ่มแปรรูปผลผลิตการเกษตรบ้านท่าศาลา", "ลำไยอบแห้ง เนื้อสีทอง เกรดพรีเมียม", "5001"),
]
# The names the table cells show: elements or bare text whose whole text is one of the names.
NAME_NODES = """(names) => {
  const wanted = new Set(names);
  const norm = (text) => text.replace(/\\s+/g, " ").trim();
  const found = [];
  for (const cell of document.querySelectorAll("main table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = cell; node; node = walker.nextNode()) {
      if (!wanted.has(norm(node.textContent))) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      if (range.getClientRects().length) found.push(node);  // shown, not in a column hidden at this width
    }
  }
  return found;
}"""
# The names split at a point that is not a space: a line's first character whose previous
# character in the name is not a space.
SPLIT_NAMES = """(names) => {
  const split = new Set();
  for (const target of (%s)(names)) {
    const texts = target.nodeType === Node.TEXT_NODE ? [target] : (() => {
      const list = [], walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode());) list.push(node);
      return list;
    })();
    let lineTop = null, previous = " ";
    for (const node of texts) {
      for (let i = 0; i < node.data.length; i++) {
        const char = node.data[i];
        if (/\\s/.test(char)) { previous = " "; continue; }
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;  // a combining mark sits on its base
        const newLine = lineTop !== null && rect.top > lineTop + rect.height / 2;
        if (newLine && previous !== " ") split.add(target.textContent.replace(/\\s+/g, " ").trim());
        if (lineTop === null || newLine) lineTop = rect.top;
        previous = char;
      }
    }
  }
  return [...split].sort();
}""" % NAME_NODES
NAMES_SHOWN = """(names) => [...new Set((%s)(names)
  .map(node => node.textContent.replace(/\\s+/g, " ").trim()))].length""" % NAME_NODES


@pytest.fixture
def tables_world(db):
    round_ = SelectionRoundFactory(state=RoundState.SCORING)
    for producer_name, product_name, district in NAMES:
        product = ProductFactory(name=product_name, producer=ProducerFactory(name=producer_name, district_id=district))
        SubmissionFactory(round=round_, product=product)
    return {"officer": UserFactory(username="officer-tables", groups=["officer"]), "round": round_}


def names_split(page, url):
    page.goto(url)
    page.wait_for_load_state("load")
    names = [name for row in NAMES for name in row[:2]] + ["เมืองเชียงใหม่", "จอมทอง", "สารภี", "ไชยปราการ"]
    return page.evaluate(NAMES_SHOWN, names), page.evaluate(SPLIT_NAMES, names)


@pytest.mark.parametrize("width", [390, 1280])
def test_names_in_the_product_list_and_the_submissions_never_break_inside_a_word(
        page, live_server, login, tables_world, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, tables_world["officer"])

    products = names_split(page, f"{live_server.url}/registry/products/")
    submissions = names_split(page, f"{live_server.url}/selection/{tables_world['round'].pk}/submissions/")

    # Shown on a phone: the product's and the producer's names (the district column is for
    # wider screens on the product list); every name is shown on the submissions.
    assert products == (12 if width == 390 else 16, [])
    assert submissions == (16, [])


@pytest.mark.parametrize("width", [390, 1280])
def test_edit_buttons_stay_in_view_when_a_list_is_wider_than_the_screen(page, live_server, login, tables_world, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, tables_world["officer"])
    page.goto(f"{live_server.url}/registry/products/")

    widths = page.evaluate("""() => {
      const scroller = document.querySelector("main .table-responsive");
      const right = scroller.getBoundingClientRect().right;
      const buttons = [...scroller.querySelectorAll("tbody a.btn")];
      return {wider: scroller.scrollWidth > scroller.clientWidth, buttons: buttons.length,
              outside: buttons.filter(b => b.getBoundingClientRect().right > right + 0.5).length};
    }""")

    # The longest group's name makes the list wider than the screen; the edit buttons stay in view.
    assert widths == {"wider": True, "buttons": 6, "outside": 0}
