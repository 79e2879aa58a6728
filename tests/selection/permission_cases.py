"""Permission rows for the selection app. See tests/permissions.py for the format.

Officers and admins manage rounds; the committee's chair, members and secretary take part in
the world's round; the chair alone closes scoring, decides, approves and reopens. Committee
roles of other apps (other committees) are strangers to these rounds.
"""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from selection import services
from selection.models import CommitteeRole, ConflictType, DecisionKind, PaperSheet, RoundState
from tests.factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    CriterionFactory,
    ProductFactory,
    ProductPhotoFactory,
    SelectionRoundFactory,
    SubmissionAttachmentFactory,
    SubmissionFactory,
    UserFactory,
)
from tests.permissions import ANONYMOUS, LOGGED_IN, NATIONAL, Case
from tests.selection import development_permission_cases
from tests.selection.chains import run_to_approval

MANAGERS = {"officer", "admin"}
COMMITTEE = {"chair", "member", "secretary"}
VIEWERS = MANAGERS | COMMITTEE
SCORERS = {"chair", "member"}
PROJECTORS = MANAGERS | {"chair", "secretary"}
# While scoring is open the world's chair scores and has not submitted: no live means yet.
PROJECTORS_WHILE_SCORING = MANAGERS | {"secretary"}
# The progress board and reminders (statuses only): the chair too, before submitting.
FOLLOWERS = MANAGERS | {"chair", "secretary"}
CHAIR = {"chair"}
SCAN_NAME = "selection/permission-world/scan.jpg"

# The national contest: run by the national users and the national committee (its chair here);
# every province's officers follow their own entries on its contest page.
CONTEST = frozenset({NATIONAL, "contest_chair"})

ROLES = {
    "chair": lambda w: w["sel_chair"].user,
    "member": lambda w: w["sel_member"].user,
    "secretary": lambda w: w["sel_secretary"].user,
    **development_permission_cases.ROLES,
    "contest_chair": lambda w: w["sel_contest_chair"].user,
}


def build_world(world):
    committee = CommitteeFactory(name="คณะกรรมการทดสอบสิทธิ์การคัดเลือก")
    world["sel_chair"] = CommitteeMemberFactory(committee=committee, role=CommitteeRole.CHAIR,
                                                user=UserFactory(username="perm-sel-chair"))
    world["sel_member"] = CommitteeMemberFactory(committee=committee, user=UserFactory(username="perm-sel-member"))
    world["sel_secretary"] = CommitteeMemberFactory(committee=committee, role=CommitteeRole.SECRETARY, scores=False,
                                                    user=UserFactory(username="perm-sel-secretary"))
    world["sel_spare"] = CommitteeMemberFactory(committee=committee, user=UserFactory(username="perm-sel-spare"))
    officer = UserFactory(username="perm-sel-officer", groups=["officer"])

    # A round in scoring, with one eligible submission screened by the rules.
    scoring = SelectionRoundFactory(committee=committee, quota=1, reserves=0)
    criterion = CriterionFactory(round=scoring, max_score=100)
    product = ProductFactory(code="PERM-SEL-1")
    services.add_submission(scoring, product, by=officer)
    services.screen_round(scoring, by=officer)
    world["sel_result"] = scoring.submissions.get().results.first()
    services.open_scoring(scoring, by=officer)
    world["sel_round"] = scoring
    world["sel_submission"] = scoring.submissions.get()
    world["sel_criterion"] = criterion
    # The entry's material: a registry photo of its product, a photo and a document sent with it.
    world["sel_product_photo"] = ProductPhotoFactory(product=product, caption="ภาพผลิตภัณฑ์ทดสอบสิทธิ์")
    world["sel_attachment_photo"] = SubmissionAttachmentFactory(submission=world["sel_submission"], photo=True,
                                                                uploaded_by=officer)
    world["sel_attachment_document"] = SubmissionAttachmentFactory(submission=world["sel_submission"],
                                                                   uploaded_by=officer)
    world["sel_conflict"] = services.declare_conflict(world["sel_submission"], world["sel_spare"],
                                                      conflict_type=ConflictType.OTHER, note="", by=officer)

    # The scan of the member's signed paper sheet.
    if not default_storage.exists(SCAN_NAME):
        default_storage.save(SCAN_NAME, ContentFile(b"\xff\xd8\xff\xe0 scan"))
    world["sel_scan"] = PaperSheet.objects.create(round=scoring, member=world["sel_member"], file=SCAN_NAME,
                                                  original_name="scan.jpg", content_type="image/jpeg",
                                                  uploaded_by=officer)

    # A round in ranking, with a chair's decision on record.
    ranked = SelectionRoundFactory(committee=committee, quota=1, reserves=0, state=RoundState.RANKING)
    ranked_criterion = CriterionFactory(round=ranked, max_score=100)
    world["sel_ranked_submission"] = SubmissionFactory(round=ranked)
    SubmissionFactory(round=ranked)
    del ranked_criterion
    world["sel_ranked"] = ranked
    world["sel_decision"] = services.record_decision(ranked, world["sel_ranked_submission"],
                                                     kind=DecisionKind.MOVE_OUT, reason="ทดสอบ",
                                                     by=world["sel_chair"].user)
    # A draft round to add submissions to.
    world["sel_draft"] = SelectionRoundFactory(committee=committee)
    world["sel_draft_submission"] = SubmissionFactory(round=world["sel_draft"], eligible=None, screened_at=None)
    # Activity 2: an approved round of the same committee, its development records and a mentor.
    development_permission_cases.build_world(world)

    # An approved round (its chair alone scored), a chained round in draft taking its entries from
    # it, and the national contest in scoring with that round's chosen product as its entry.
    source = SelectionRoundFactory(committee=committee, name="รอบทดสอบสิทธิ์ที่อนุมัติแล้ว", quota=1, reserves=0)
    run_to_approval(source, officer=officer, scorers=[world["sel_chair"]], totals={"PERM-SEL-CHOSEN": 80},
                    products=[ProductFactory(code="PERM-SEL-CHOSEN")])
    world["sel_source"] = source
    world["sel_chained"] = SelectionRoundFactory(committee=committee, name="รอบทดสอบสิทธิ์ต่อเนื่อง", source_round=source,
                                                 quota=1, reserves=0)
    national_committee = CommitteeFactory(name="คณะกรรมการทดสอบสิทธิ์ระดับประเทศ", province=None)
    world["sel_contest_chair"] = CommitteeMemberFactory(committee=national_committee, role=CommitteeRole.CHAIR,
                                                        user=UserFactory(username="perm-contest-chair"))
    national = UserFactory(username="perm-sel-national-officer", groups=["officer"], province="national")
    contest = services.create_round(committee=national_committee, name="การประกวดทดสอบสิทธิ์ระดับประเทศ",
                                    fiscal_year=2565, by=national, quota=1, reserves=0)
    world["sel_contest_criterion"] = CriterionFactory(round=contest, max_score=100)
    services.take_entries_from(contest, source, by=national)
    services.screen_round(contest, by=national)
    services.open_scoring(contest, by=national)
    world["sel_contest"] = contest
    world["sel_contest_submission"] = contest.submissions.get()


def _round(w):
    return {"pk": w["sel_round"].pk}


def _ranked(w):
    return {"pk": w["sel_ranked"].pk}


def _draft(w):
    return {"pk": w["sel_draft"].pk}


def _scored(w):
    return {"pk": w["sel_round"].pk, "sid": w["sel_submission"].pk}


def _member_sheet(w):
    return {"pk": w["sel_round"].pk, "member_pk": w["sel_member"].pk}


def _file(name):
    return lambda w: {**_scored(w), "aid": w[name].pk}


def _entry_photo(w):
    return {**_scored(w), "photo_pk": w["sel_product_photo"].pk}


POST = {"method": "post", "ok": 302, "not_allowed_methods": ("get",)}


def _chained(w):
    return {"pk": w["sel_chained"].pk}


def _contest(w):
    return {"pk": w["sel_contest"].pk}


def _source(w):
    return {"source": w["sel_source"].pk}

CASES = [
    # Rounds, committee, submissions and screening
    Case("selection:round_list", allowed={LOGGED_IN}),
    Case("selection:round_create", allowed=MANAGERS),
    Case("selection:round_detail", scoped=True, kwargs=_round, allowed=VIEWERS),
    Case("selection:round_edit", scoped=True, kwargs=_draft, allowed=MANAGERS),
    Case("selection:rubric_edit", scoped=True, kwargs=_draft, allowed=MANAGERS),
    Case("selection:committee", scoped=True, kwargs=_round, allowed=MANAGERS),
    Case("selection:committee_remove", scoped=True, kwargs=lambda w: {"pk": w["sel_round"].pk, "member_pk": w["sel_secretary"].pk},
         allowed=MANAGERS, **POST),
    Case("selection:submission_list", scoped=True, kwargs=_draft, allowed=MANAGERS),
    Case("selection:submission_list", scoped=True, kwargs=_draft, allowed=MANAGERS, query="q=PERM"),
    Case("selection:submission_add", scoped=True, kwargs=_draft, data=lambda w: {"product": w["sel_submission"].product_id},
         allowed=MANAGERS, **POST),
    Case("selection:submission_bulk", scoped=True, kwargs=_draft, data=lambda w: {"codes": "PERM-SEL-1"}, allowed=MANAGERS,
         **POST),
    Case("selection:submission_remove", scoped=True, kwargs=lambda w: {"pk": w["sel_draft"].pk,
                                                          "sid": w["sel_draft_submission"].pk},
         allowed=MANAGERS, **POST),
    # An entry's material (entry_views.py): officers add it; the committee reads it with the entry
    Case("selection:submission_detail", scoped=True, kwargs=_scored, allowed=MANAGERS),
    Case("selection:attachment_add", scoped=True, kwargs=_scored, allowed=MANAGERS, **POST),
    Case("selection:attachment_remove", scoped=True, kwargs=_file("sel_attachment_document"), allowed=MANAGERS,
         **POST),
    Case("selection:attachment_file", scoped=True, kwargs=_file("sel_attachment_document"), allowed=VIEWERS,
         not_allowed_methods=("post",)),
    Case("selection:attachment_file", scoped=True, kwargs=_file("sel_attachment_photo"), allowed=VIEWERS),
    Case("selection:attachment_thumbnail", scoped=True, kwargs=_file("sel_attachment_photo"), allowed=VIEWERS),
    Case("selection:entry_photo", scoped=True, kwargs=_entry_photo, allowed=VIEWERS, not_allowed_methods=("post",)),
    Case("selection:entry_photo_thumbnail", scoped=True, kwargs=_entry_photo, allowed=VIEWERS),
    Case("selection:screening_summary", scoped=True, kwargs=_round, allowed=VIEWERS),
    Case("selection:screening_summary", scoped=True, kwargs=_round, allowed=VIEWERS, query="show=all"),
    Case("selection:screening_run", scoped=True, kwargs=_draft, allowed=MANAGERS, **POST),
    Case("selection:screening_override", scoped=True, kwargs=lambda w: {"pk": w["sel_round"].pk, "result_pk": w["sel_result"].pk},
         allowed=MANAGERS),
    Case("selection:open_scoring", scoped=True, kwargs=_draft, allowed=MANAGERS | CHAIR, **POST),
    # Scoring and conflicts
    Case("selection:score_list", scoped=True, kwargs=_round, allowed=SCORERS),
    Case("selection:scores_submit", scoped=True, kwargs=_round, allowed=SCORERS, **POST),
    Case("selection:score_form", scoped=True, kwargs=_scored, allowed=SCORERS),
    Case("selection:score_save", scoped=True, kwargs=_scored, allowed=SCORERS,
         data=lambda w: {f"value_{w['sel_criterion'].pk}": "80", f"version_{w['sel_criterion'].pk}": "0"}, **POST),
    # The offline queue's save answers JSON (200), with a new key each time.
    Case("selection:score_sync", scoped=True, kwargs=_scored, allowed=SCORERS, method="post", ok=200,
         not_allowed_methods=("get",),
         data=lambda w: {"key": str(uuid.uuid4()), f"value_{w['sel_criterion'].pk}": "80",
                         f"version_{w['sel_criterion'].pk}": "0"}),
    # The service worker's script holds no data: anyone may fetch it (also when signed out, so
    # the browser's update check never fails).
    Case("selection:offline_worker", allowed={ANONYMOUS, LOGGED_IN}),
    Case("selection:conflict_declare", scoped=True, kwargs=_scored, allowed=COMMITTEE),
    Case("selection:conflict_list", scoped=True, kwargs=_round, allowed=MANAGERS),
    Case("selection:conflict_withdraw", scoped=True, kwargs=lambda w: {"pk": w["sel_round"].pk, "cid": w["sel_conflict"].pk},
         data=lambda w: {"reason": "แจ้งผิด"}, allowed=MANAGERS, **POST),
    # Who still has to score
    Case("selection:progress", scoped=True, kwargs=_round, allowed=FOLLOWERS),
    Case("selection:progress", scoped=True, kwargs=_ranked, allowed=FOLLOWERS),
    Case("selection:remind", scoped=True, kwargs=_round, allowed=FOLLOWERS, **POST),
    Case("selection:remind", scoped=True, kwargs=_round, allowed=FOLLOWERS, **POST,
         data=lambda w: {"member": w["sel_member"].pk}),
    Case("selection:scoring_deadline", scoped=True, kwargs=_round, allowed=MANAGERS | CHAIR, **POST,
         data=lambda w: {"date": "11/01/2600", "time": "16.00", "remind_before_hours": "12"}),
    # Paper score sheets
    Case("selection:paper_sheets", scoped=True, kwargs=_round, allowed=FOLLOWERS),
    Case("selection:paper_sheet", scoped=True, kwargs=_member_sheet, allowed=FOLLOWERS),
    # Entering one shows the member's scores: not to a chair who has not submitted their own.
    Case("selection:paper_enter", scoped=True, kwargs=_member_sheet, allowed=PROJECTORS_WHILE_SCORING),
    Case("selection:paper_enter", scoped=True, kwargs=_member_sheet, allowed=PROJECTORS_WHILE_SCORING, method="post",
         ok=302, data=lambda w: {f"value_{w['sel_submission'].pk}_{w['sel_criterion'].pk}": "70",
                         f"version_{w['sel_submission'].pk}_{w['sel_criterion'].pk}": "0"}),
    Case("selection:paper_scan_add", scoped=True, kwargs=_member_sheet, allowed=PROJECTORS_WHILE_SCORING, **POST),
    Case("selection:paper_scan", scoped=True, kwargs=lambda w: {"pk": w["sel_round"].pk, "scan_pk": w["sel_scan"].pk},
         allowed=PROJECTORS_WHILE_SCORING),
    # Ranking, the cut, results and history
    Case("selection:close_scoring", scoped=True, kwargs=_round, allowed=CHAIR, **POST),
    Case("selection:ranking", scoped=True, kwargs=_ranked, allowed=VIEWERS),
    Case("selection:ranking", scoped=True, kwargs=_round, allowed=VIEWERS),
    Case("selection:decision_add", scoped=True, kwargs=_ranked, allowed=CHAIR, **POST,
         data=lambda w: {"submission": w["sel_ranked_submission"].pk, "kind": "move_in", "reason": "ทดสอบ"}),
    Case("selection:decision_withdraw", scoped=True, kwargs=lambda w: {"pk": w["sel_ranked"].pk, "did": w["sel_decision"].pk},
         allowed=CHAIR, **POST),
    Case("selection:approve", scoped=True, kwargs=_ranked, allowed=CHAIR, **POST),
    Case("selection:reopen", scoped=True, kwargs=_ranked, allowed=CHAIR),
    Case("selection:results_live", scoped=True, kwargs=_round, allowed=PROJECTORS_WHILE_SCORING),
    Case("selection:results_live", scoped=True, kwargs=_ranked, allowed=PROJECTORS),
    Case("selection:results_board", scoped=True, kwargs=_round, allowed=PROJECTORS_WHILE_SCORING),
    Case("selection:results_board", scoped=True, kwargs=_ranked, allowed=PROJECTORS),
    Case("selection:export", scoped=True, kwargs=_ranked, allowed=PROJECTORS),
    Case("selection:history", scoped=True, kwargs=_round, allowed=VIEWERS),
    # Chained rounds and the national contest. Taking entries answers with a redirect whatever
    # the source: a round the user may not take from is an error message, not a page.
    Case("selection:entries_take", scoped=True, kwargs=_chained, data=_source, allowed=MANAGERS, **POST),
    Case("selection:entries_take", kwargs=_contest, data=_source, allowed=MANAGERS, **POST),
    Case("selection:contest", kwargs=_contest, allowed=MANAGERS | {"contest_chair"}),
    Case("selection:contest", scoped=True, kwargs=_chained, allowed=set()),
    Case("selection:submission_list", scoped=True, kwargs=_chained, allowed=MANAGERS),
    Case("selection:round_detail", scoped=True, kwargs=_chained, allowed=VIEWERS),
    # The national round's own pages: the national users and its committee only.
    Case("selection:round_detail", kwargs=_contest, known_to=CONTEST, allowed=CONTEST),
    Case("selection:submission_list", kwargs=_contest, known_to=CONTEST, allowed={NATIONAL}),
    Case("selection:screening_summary", kwargs=_contest, known_to=CONTEST, allowed=CONTEST),
    Case("selection:score_list", kwargs=_contest, known_to=CONTEST, allowed={"contest_chair"}),
    Case("selection:score_form", kwargs=lambda w: {"pk": w["sel_contest"].pk, "sid": w["sel_contest_submission"].pk},
         known_to=CONTEST, allowed={"contest_chair"}),
    Case("selection:progress", kwargs=_contest, known_to=CONTEST, allowed=CONTEST),
    Case("selection:ranking", kwargs=_contest, known_to=CONTEST, allowed=CONTEST),
    Case("selection:results_live", kwargs=_contest, known_to=CONTEST, allowed={NATIONAL}),
    Case("selection:history", kwargs=_contest, known_to=CONTEST, allowed=CONTEST),
    Case("selection:close_scoring", kwargs=_contest, known_to=CONTEST, allowed={"contest_chair"}, **POST),
]
CASES += development_permission_cases.CASES
