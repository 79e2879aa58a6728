"""The results board in projector mode, as a meeting room sees it at 1920×1080: the top 20 and
the cut line on one screen in type of at least 28 px, the pages turning by themselves."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from selection.models import CommitteeRole, RoundState, ScoreSheet
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    SelectionRoundFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.selection.conftest import RUBRIC, give

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECTOR = {"width": 1920, "height": 1080}


def _ranked_round(count=40):
    """A round in ranking: quota 20 and 3 reserves; KBO01 scores highest, then KBO02, and so on."""
    committee = CommitteeFactory()
    members = [CommitteeMemberFactory(committee=committee, order=i, user=UserFactory(username=f"board-member{i}"))
               for i in range(3)]
    secretary = CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False, order=9,
                                       user=UserFactory(username="board-secretary"))
    round_ = SelectionRoundFactory(committee=committee, quota=20, reserves=3, state=RoundState.RANKING,
                                   min_scorers=1)
    criteria = [CriterionFactory(round=round_, name=name, max_score=top, order=i)
                for i, (name, top) in enumerate(RUBRIC)]
    for i in range(1, count + 1):
        # Long names, as registries hold them: the board must not let them push the rows down.
        submission = SubmissionFactory(round=round_, product__code=f"KBO{i:02d}",
                                       product__name=f"ผ้าฝ้ายทอมือย้อมสีธรรมชาติลายน้ำไหลโบราณ ผืนยาวสองเมตร {i:02d}")
        for member in members:
            give(submission, member, criteria, (45 - i, 20, 25))
    for member in members[:2]:
        ScoreSheet.objects.create(round=round_, member=member, submitted_at=timezone.now())
    return round_, secretary


def _within_viewport(locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"]


def test_projector_board_shows_the_top_20_and_the_cut_line_on_one_screen_in_large_type(page, live_server, login):
    round_, secretary = _ranked_round()
    page.set_viewport_size(PROJECTOR)
    page.clock.install()
    login(page, secretary.user)

    page.goto(f"{live_server.url}/selection/{round_.pk}/results/board/")
    page.evaluate("document.fonts.ready.then(() => true)")  # measure in Sarabun, not a fallback

    rows = page.get_by_test_id("board-row")
    top = [rows.nth(i) for i in range(20)]
    assert [row.get_attribute("data-code") for row in top] == [f"KBO{i:02d}" for i in range(1, 21)]
    assert [_within_viewport(row) for row in top] == [True] * 20
    assert _within_viewport(page.get_by_test_id("cut-line"))
    assert _within_viewport(page.get_by_test_id("reserves-end"))
    assert float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px")) >= 28
    assert min(float(row.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) for row in top) >= 28
    expect(page.get_by_test_id("submitted")).to_have_text("กรรมการส่งคะแนนแล้ว 2 จาก 3 คน")
    expect(page.locator("nav")).to_have_count(0)

    # The list is longer than the screen: the next page comes by itself.
    page.clock.fast_forward("00:16")
    expect(page.get_by_test_id("cut-line")).to_be_hidden()
    expect(page.locator("[data-code='KBO40']")).to_be_visible()
    assert _within_viewport(page.locator("[data-code='KBO40']"))
    # A refresh of the figures keeps the page shown.
    with page.expect_response(lambda response: "/results/board/?page=2" in response.url):
        page.clock.fast_forward("00:05")
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("cut-line")).to_be_hidden()
    assert _within_viewport(page.locator("[data-code='KBO40']"))


def test_a_refresh_sent_before_the_page_turned_never_paints_the_page_before(page, live_server, login):
    """The refresh asks for the page on screen when it leaves; when its answer comes after the
    page has turned, the board swapped in must show the new page at once, not the page the server
    rendered for 20 ms (htmx's settle delay) and then the right one."""
    round_, secretary = _ranked_round()
    page.set_viewport_size(PROJECTOR)
    page.clock.install()
    login(page, secretary.user)
    page.goto(f"{live_server.url}/selection/{round_.pk}/results/board/")

    held = []
    page.route("**/results/board/?page=1", lambda route: held.append(route))
    page.clock.fast_forward("00:10")  # the refresh leaves, asking for page 1 ...
    page.wait_for_timeout(100)
    assert len(held) == 1
    page.clock.fast_forward("00:05")  # ... and the page turns before its answer comes
    expect(page.locator("[data-code='KBO40']")).to_be_visible()

    # What each change of the document leaves on screen, read before the browser paints.
    page.evaluate("""() => {
      window.boardSeen = [];
      new MutationObserver(() => {
        const shown = document.querySelector('#board .board-page.is-current');
        window.boardSeen.push(shown ? shown.getAttribute('aria-label') : null);
      }).observe(document.body, {childList: true, subtree: true, attributes: true});
    }""")
    with page.expect_response(lambda response: "/results/board/?page=1" in response.url):
        held[0].continue_()
    page.wait_for_timeout(300)
    seen = page.evaluate("window.boardSeen")
    assert seen and set(seen) == {"หน้า 2 จาก 2"}
    assert _within_viewport(page.locator("[data-code='KBO40']"))
