"""The results board in projector mode, as a meeting room sees it at 1920×1080: the top 20 and
the cut line on one screen in type of at least 28 px, the pages turning by themselves, and the
refreshes keeping the page on screen."""

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


# Whether each element is whole on the screen, read in one evaluation: a locator's bounding box
# is two steps (find, then measure), and a refresh swapped in between them leaves no box.
WHOLE_ON_SCREEN = """selectors => selectors.map(selector => {
  const element = document.querySelector(selector);
  if (!element) return false;
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
    && box.bottom <= innerHeight && box.right <= innerWidth;
})"""


def _whole_on_screen(page, *selectors):
    return page.evaluate(WHOLE_ON_SCREEN, list(selectors))


def _open_paused(page, live_server, login, round_, user):
    """The board on a clock that moves only when the test moves it: its page turns (every 15 s)
    and refreshes (every 10 s) come when the test says, however slow the machine."""
    page.set_viewport_size(PROJECTOR)
    login(page, user)
    page.clock.install(time=0)
    page.clock.pause_at(1000)
    page.goto(f"{live_server.url}/selection/{round_.pk}/results/board/")
    page.evaluate("document.fonts.ready.then(() => true)")  # measure in Sarabun, not a fallback


def _refreshed(page, asking_for, advance):
    """Moves the clock by `advance` so that the board refreshes, asking for page `asking_for`;
    returns once the new board has been swapped in and settled. run_for fires the timers in the
    order they fall due; fast_forward fires each due timer once, in the order they were made
    (the page turn before the refresh that fell due first)."""
    page.evaluate("document.getElementById('board').dataset.before = 'refresh'")
    with page.expect_response(lambda response: f"/results/board/?page={asking_for}" in response.url):
        page.clock.run_for(advance)
    expect(page.locator("#board[data-before]")).to_have_count(0)
    page.clock.run_for(100)  # htmx's settle (20 ms), which starts the new board's own refresh


def test_projector_board_shows_the_top_20_and_the_cut_line_on_one_screen_in_large_type(page, live_server, login):
    round_, secretary = _ranked_round()
    _open_paused(page, live_server, login, round_, secretary.user)

    rows = page.get_by_test_id("board-row")
    top = [rows.nth(i) for i in range(20)]
    codes = [f"KBO{i:02d}" for i in range(1, 21)]
    assert [row.get_attribute("data-code") for row in top] == codes
    assert _whole_on_screen(page, *(f"[data-code='{code}']" for code in codes)) == [True] * 20
    assert _whole_on_screen(page, "[data-testid='cut-line']", "[data-testid='reserves-end']") == [True, True]
    assert float(page.evaluate("getComputedStyle(document.body).fontSize").removesuffix("px")) >= 28
    assert min(float(row.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) for row in top) >= 28
    expect(page.get_by_test_id("submitted")).to_have_text("กรรมการส่งคะแนนแล้ว 2 จาก 3 คน")
    expect(page.locator("nav")).to_have_count(0)

    # The list is longer than the screen: the next page comes by itself (at 15 s), and the
    # refresh that left at 10 s, asking for page 1, does not turn it back when it lands.
    _refreshed(page, asking_for=1, advance="00:16")
    expect(page.get_by_test_id("cut-line")).to_be_hidden()
    expect(page.locator("[data-code='KBO40']")).to_be_visible()
    assert _whole_on_screen(page, "[data-code='KBO40']") == [True]
    # The next refresh asks for the page on screen, and keeps it shown.
    _refreshed(page, asking_for=2, advance="00:10")
    expect(page.get_by_test_id("cut-line")).to_be_hidden()
    assert _whole_on_screen(page, "[data-code='KBO40']") == [True]


def test_a_refresh_sent_before_the_page_turned_never_paints_the_page_before(page, live_server, login):
    """The refresh asks for the page on screen when it leaves; when its answer comes after the
    page has turned, the board swapped in must show the new page at once, not the page the server
    rendered for 20 ms (htmx's settle delay) and then the right one."""
    round_, secretary = _ranked_round()
    _open_paused(page, live_server, login, round_, secretary.user)

    held = []
    page.route("**/results/board/?page=1", lambda route: held.append(route))
    with page.expect_request(lambda request: "/results/board/?page=1" in request.url):
        page.clock.run_for("00:10")  # the refresh leaves, asking for page 1 ...
    page.clock.run_for("00:05")  # ... and the page turns before its answer comes
    expect(page.locator("[data-code='KBO40']")).to_be_visible()

    # What each change of the document leaves on screen, read before the browser paints.
    page.evaluate("""() => {
      window.boardSeen = [];
      new MutationObserver(() => {
        const shown = document.querySelector('#board .board-page.is-current');
        window.boardSeen.push(shown ? shown.getAttribute('aria-label') : null);
      }).observe(document.body, {childList: true, subtree: true, attributes: true});
    }""")
    page.evaluate("document.getElementById('board').dataset.before = 'refresh'")
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#board[data-before]")).to_have_count(0)
    page.clock.run_for(100)
    seen = page.evaluate("window.boardSeen")
    assert seen and set(seen) == {"หน้า 2 จาก 2"}
    assert _whole_on_screen(page, "[data-code='KBO40']") == [True]
