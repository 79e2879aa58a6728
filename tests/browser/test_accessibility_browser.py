"""A committee member who cannot use a mouse, or who reads at 200% zoom on a phone, scores a whole
sheet (issue 14, accessibility). axe-core checks every page on the way (conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from selection.models import CommitteeRole, RoundState, Score, ScoreSheet
from tests.browser.a11y import AxeChecker
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.selection.conftest import RUBRIC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Browser zoom at 200% on a 390 px wide phone: the page is laid out in a 195 CSS px viewport (media
# queries see 195 px) and drawn with twice the device pixels. This is what browser zoom does;
# pinch-zoom (CDP Emulation.setPageScaleFactor) only magnifies the 390 px layout and pans over it,
# and CSS zoom leaves the media queries at 390 px.
ZOOMED_PHONE = {"viewport": {"width": 195, "height": 422}, "device_scale_factor": 2}

# Every element in <main> lies inside the viewport, sideways, unless it is in a scroller of its own
# (the round's tabs, a wide table); an element that hides its overflow shows all of its text.
OUTSIDE_OR_CLIPPED = """() => {
  const width = document.documentElement.clientWidth, problems = [];
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll") return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("main *, nav.navbar *")) {
    const rect = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (!rect.width || !rect.height || style.visibility === "hidden" || inScroller(el)) continue;
    if (el.closest(".collapse:not(.show)")) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
      + (el.textContent || "").trim().slice(0, 30);
    const field = ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
    if (rect.left < -0.5 || rect.right > width + 0.5) problems.push("outside: " + name);
    else if (["hidden", "clip"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1 && !field)
      problems.push("clipped: " + name);
  }
  return problems;
}"""


# Where the focus is, by test id, id or name, and whether it shows a ring of at least 2 px.
FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {name: el.dataset.testid || el.id || el.name || el.textContent.trim(),
          ring: el.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
}"""


def _focused(page):
    """Where the focus is; on a loaded machine the browser may draw the ring a moment after the
    key press that moved the focus, so a stop without one is read again for up to a second."""
    focused = page.evaluate(FOCUSED)
    for _ in range(20):
        if focused["ring"]:
            break
        page.wait_for_timeout(50)
        focused = page.evaluate(FOCUSED)
    return focused


def _tab_to(page, selector, limit=40):
    """Presses Tab until the focus is on `selector`; returns the names of the focus stops, each of
    which must show where it is."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["ring"], f"no visible focus on {focused['name']}"
        # A stop read twice is one stop: on a loaded machine the page may answer a Tab late.
        if not stops or stops[-1] != focused["name"]:
            stops.append(focused["name"])
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return stops
    raise AssertionError(f"Tab never reached {selector}: {stops}")


def _skip_to_content(page):
    """The first Tab of a page is the skip link, shown; Enter on it goes past the menu."""
    page.keyboard.press("Tab")
    assert _focused(page) == {"name": "ข้ามไปยังเนื้อหา", "ring": True}
    page.keyboard.press("Enter")
    # The next Tab starts from the content only once the browser has followed the link.
    expect(page).to_have_url(re.compile(r"#content$"))


def _round(count):
    committee = CommitteeFactory()
    member = CommitteeMemberFactory(committee=committee, role=CommitteeRole.MEMBER, order=1,
                                    user=UserFactory(username="member-keyboard", first_name="ลัดดา"))
    round_ = SelectionRoundFactory(committee=committee, quota=2, reserves=0, state=RoundState.SCORING, min_scorers=1)
    criteria = [CriterionFactory(round=round_, name=name, max_score=top, order=i)
                for i, (name, top) in enumerate(RUBRIC)]
    submissions = [SubmissionFactory(round=round_, product__code=f"KBO{i:02d}",
                                     product__name=f"ผ้าฝ้ายทอมือย้อมสีธรรมชาติลายน้ำไหล {i:02d}")
                   for i in range(1, count + 1)]
    return round_, member, criteria, submissions


def _in_view_sideways(locator):
    """Visible, and wholly on the 195 px screen once scrolled to (down, never sideways)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    return locator.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= ZOOMED_PHONE["viewport"]["width"]


def _no_sideways_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")


@pytest.mark.browser_context_args(**ZOOMED_PHONE)
def test_scoring_pages_at_200_percent_zoom_on_a_phone_reflow_without_sideways_scrolling(page, live_server, login):
    round_, member, criteria, submissions = _round(count=2)
    login(page, member.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/score/")
    assert page.evaluate("[innerWidth, devicePixelRatio]") == [195, 2]
    page.screenshot(path="/tmp/h8-zoom-score-list.png", full_page=True)
    assert (_no_sideways_scroll(page), page.evaluate(OUTSIDE_OR_CLIPPED)) == (True, [])

    for submission in submissions:
        page.goto(f"{live_server.url}/selection/{round_.pk}/score/{submission.pk}/")
        if submission == submissions[0]:
            page.screenshot(path="/tmp/h8-zoom-score-form.png", full_page=True)
        assert (_no_sideways_scroll(page), page.evaluate(OUTSIDE_OR_CLIPPED)) == (True, [])
        for criterion, value in zip(criteria, ("40", "20", "25")):
            field = page.locator(f"#value-{criterion.pk}")
            assert _in_view_sideways(field)
            field.fill(value)
            field.blur()
            expect(page.locator(f"#status-{criterion.pk}")).to_contain_text("บันทึกแล้ว")
        assert _no_sideways_scroll(page)

    page.goto(f"{live_server.url}/selection/{round_.pk}/score/")
    submit = page.get_by_role("button", name="ส่งคะแนนของฉัน")
    assert _in_view_sideways(submit)
    page.on("dialog", lambda dialog: dialog.accept())
    submit.click()
    expect(page.get_by_test_id("submitted")).to_be_visible()
    page.screenshot(path="/tmp/h8-zoom-submitted.png", full_page=True)
    assert (_no_sideways_scroll(page), page.evaluate(OUTSIDE_OR_CLIPPED)) == (True, [])
    assert ScoreSheet.objects.get(member=member).submitted_at is not None


def test_member_scores_a_whole_sheet_and_submits_it_with_the_keyboard_alone(page, live_server):
    round_, member, criteria, submissions = _round(count=3)
    values = {0: ("40", "20", "25"), 1: ("35", "15", "30"), 2: ("45", "25", "10")}
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit your scores?": OK
    page.goto(f"{live_server.url}/accounts/login/?next=/selection/{round_.pk}/score/")

    # The login form puts the focus in its first field (autofocus).
    assert _focused(page) == {"name": "id_username", "ring": True}
    page.keyboard.type(member.user.username)
    page.keyboard.press("Tab")
    page.keyboard.type("kbo-test-pass-2565")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("progress")).to_have_text("ให้คะแนนแล้ว 0 จาก 3")

    _skip_to_content(page)
    _tab_to(page, "[data-testid=submission-KBO01]")
    page.keyboard.press("Enter")
    for index, submission in enumerate(submissions):
        expect(page).to_have_url(f"{live_server.url}/selection/{round_.pk}/score/{submission.pk}/")
        _skip_to_content(page)
        # Back to the list, then the scores in the rubric's order, the comment, the conflict.
        assert _tab_to(page, f"#value-{criteria[0].pk}") == ["← ผลิตภัณฑ์ทั้งหมด", f"value-{criteria[0].pk}"]
        for position, (criterion, value) in enumerate(zip(criteria, values[index])):
            assert _focused(page)["name"] == f"value-{criterion.pk}"
            if (index, position) == (0, 1):
                page.screenshot(path="/tmp/h8-keyboard-focus.png")
            page.keyboard.type(value)
            page.keyboard.press("Tab")
            expect(page.locator(f"#status-{criterion.pk}")).to_contain_text("บันทึกแล้ว")
        assert _focused(page)["name"] == "comment"
        last = index == len(submissions) - 1
        onward = "main nav a:last-child" if last else "[data-testid=next]"
        stops = _tab_to(page, onward)
        assert stops[0] == "แจ้งส่วนได้เสีย"
        assert stops[-1] == ("กลับไปที่รายการ" if last else "next")
        page.keyboard.press("Enter")

    expect(page.get_by_test_id("progress")).to_have_text("ให้คะแนนแล้ว 3 จาก 3")
    _skip_to_content(page)
    _tab_to(page, "form[action$='/score/submit/'] button")
    page.screenshot(path="/tmp/h8-keyboard-submit.png")
    page.keyboard.press("Space")

    expect(page.get_by_test_id("submitted")).to_be_visible()
    sheet = ScoreSheet.objects.get(member=member)
    assert sheet.submitted_at is not None
    assert {(s.submission_id, s.criterion_id): s.value for s in Score.objects.filter(member=member)} == {
        (submission.pk, criterion.pk): int(value)
        for index, submission in enumerate(submissions)
        for criterion, value in zip(criteria, values[index])}


PROBE = """<!doctype html><html lang="th"><head><title>ทดสอบ</title></head>
<body><main><h1>ทดสอบ</h1><button type="button"></button></main></body></html>"""


def _wait_for(page, condition):
    for _ in range(100):
        if condition():
            return True
        page.wait_for_timeout(50)
    return False


def test_axe_check_finds_violations_on_load_after_an_htmx_swap_and_at_the_end(context, live_server):
    """The check that every browser test runs (tests/browser/a11y.py) does see violations."""
    probe = context.new_page()  # not the `page` fixture: its violations must not fail this test
    checker = AxeChecker(probe)
    probe.route(f"{live_server.url}/a11y-probe/", lambda route: route.fulfill(
        content_type="text/html; charset=utf-8", body=PROBE))

    probe.goto(f"{live_server.url}/a11y-probe/")
    assert _wait_for(probe, lambda: ("button-name", "critical", "button") in checker.violations)
    probe.evaluate("""() => {
      const picture = document.createElement("img");
      picture.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.querySelector("main").append(picture);
      picture.dispatchEvent(new CustomEvent("htmx:afterSettle", {bubbles: true}));
    }""")
    assert _wait_for(probe, lambda: ("image-alt", "critical", "img") in checker.violations)
    probe.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=nameless>')")
    checker.check_now()

    assert sorted(checker.violations) == [("button-name", "critical", "button"), ("image-alt", "critical", "img"),
                                          ("label", "critical", "#nameless")]
    assert checker.violations[("image-alt", "critical", "img")]["pages"] == ["/a11y-probe/"]
    assert "image-alt (critical): Images must have alternative text\n      at img on /a11y-probe/" in checker.report()
