"""The rest of the demo year 2565 after the minuted round: a chained round and the national contest.

Called by `manage.py build_demo --stage year` after the minuted stage:
- build_showcase: the June 2565 round "ผลิตภัณฑ์ที่มีความโดดเด่น", chained from round 1/2565: its own
  committee (the chair and four members of the KBO committee, the same secretary) and its own
  rubric, the 20 developed products taken from round 1/2565's approved list, scored, 1 selected
  and approved. Round 1/2565's approval is only read.
- build_contest (with --national, after the other provinces' registries): approved rounds of
  three more provinces, and the national contest run by the `national` login with a national
  committee, its entries each province's chosen product(s), scored and approved.

The rubrics are demo data: the department's published criteria for these rounds were not found,
and each round's rubric is set by its officers. Steps go through selection.services; only the
individual scores are written in bulk (with their audit rows), as selection.demo does.
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from kbo_site.models import Action, ActionLog
from producers.models import Affiliation, Classification, Product, ProducerType

from . import demo, ranking, services
from .models import Committee, CommitteeMember, CommitteeRole, Criterion, DecisionKind, Score, ScoreSheet, SelectionRound

SHOWCASE_COMMITTEE = "คณะกรรมการคัดเลือกผลิตภัณฑ์ที่มีความโดดเด่น จังหวัดเชียงใหม่"
SHOWCASE_NAME = "ผลิตภัณฑ์ที่มีความโดดเด่น"
# Of users["committee"]: the chair, four members and the secretary of the KBO committee.
SHOWCASE_MEMBERS = (0, 1, 2, 5, 6, 8)
SHOWCASE_RUBRIC = (
    ("ความโดดเด่นและเอกลักษณ์ของผลิตภัณฑ์", 40, "อัตลักษณ์ ภูมิปัญญา และเรื่องราวที่สื่อถึงจังหวัด"),
    ("ผลการพัฒนาผลิตภัณฑ์ (ก่อน–หลัง)", 30, "สิ่งที่เปลี่ยนไปจากการพัฒนาตามแผน: รูปแบบ บรรจุภัณฑ์ มาตรฐาน"),
    ("ความพร้อมด้านการตลาด", 30, "กำลังการผลิต ช่องทางจำหน่าย และความพร้อมในการออกงานแสดงสินค้า"),
)
CONTEST_COMMITTEE = "คณะกรรมการคัดเลือกผลิตภัณฑ์ OTOP ระดับประเทศ"
CONTEST_NAME = "การประกวดผลิตภัณฑ์ KBO ระดับประเทศ ปี 2565"
CONTEST_RUBRIC = (
    ("คุณภาพและมาตรฐานผลิตภัณฑ์", 40, "มาตรฐานที่ได้รับ ความปลอดภัย และความสม่ำเสมอของคุณภาพ"),
    ("เอกลักษณ์และเรื่องราว", 30, "ภูมิปัญญาท้องถิ่นและเรื่องราวของผลิตภัณฑ์"),
    ("ศักยภาพทางการตลาด", 30, "ยอดจำหน่าย ช่องทาง และโอกาสขยายตลาด"),
)
# The provinces that hold their own round before the contest besides Chiang Mai: (code, name,
# products submitted, products chosen).
PROVINCES = (("51", "ลำพูน", 6, 1), ("57", "เชียงราย", 6, 2), ("40", "ขอนแก่น", 6, 1))
# The national committee's logins: (username, province code or None, first, last, position, role).
CONTEST_USERS = (
    ("natchair", None, "นายสุรชัย", "วงศ์ไทย", "รองอธิบดีกรมการพัฒนาชุมชน", CommitteeRole.CHAIR),
    ("natmember1", None, "นางศิริพร", "แก้วมณี", "ผู้อำนวยการกองส่งเสริมภูมิปัญญาท้องถิ่นและวิสาหกิจชุมชน",
     CommitteeRole.MEMBER),
    ("natmember2", "40", "ผศ.ดร.วีระพงษ์", "ศรีสมบัติ", "ผู้แทนมหาวิทยาลัยขอนแก่น", CommitteeRole.MEMBER),
)


def build_showcase(rng, *, users):
    """The chained showcase round, approved: 20 → 1. Returns the round."""
    officer, people = users["officer"], users["committee"]
    minuted = SelectionRound.objects.get(name=demo.ROUND_NAME, committee__name=demo.COMMITTEE_NAME)
    committee = Committee.objects.create(name=SHOWCASE_COMMITTEE, province_id="50")
    positions = users["positions"]
    members = []
    for order, index in enumerate(SHOWCASE_MEMBERS, 1):
        role = CommitteeRole.CHAIR if index == 0 else CommitteeRole.SECRETARY if index == 8 else CommitteeRole.MEMBER
        members.append(CommitteeMember.objects.create(
            committee=committee, user=people[index], role=role, position=positions.get(people[index].pk, ""),
            scores=role != CommitteeRole.SECRETARY, order=order))
    round = services.create_round(committee=committee, name=SHOWCASE_NAME, fiscal_year=2565, number=1, by=officer,
                                  quota=1, reserves=2, source_round=minuted, min_scorers=3,
                                  disagreement_threshold=Decimal("10"))
    _rubric(round, SHOWCASE_RUBRIC, by=officer)
    services.take_entries_from(round, minuted, by=officer)
    _run(rng, round, members, by=officer)
    return round


def build_contest(rng, *, users):
    """Three more provinces' approved rounds and the national contest, approved. Needs the
    national registry (producers.demo_national) and the showcase round. Returns the contest
    round and the national committee's logins as [(username, name, role)]."""
    national = users["national"]
    password = national.password  # the demo password, hashed once by producers.demo
    chosen_rounds = [SelectionRound.objects.get(name=SHOWCASE_NAME, committee__province_id="50")]
    for code, name, submitted, quota in PROVINCES:
        chosen_rounds.append(_province_round(rng, code, name, submitted, quota, users=users, password=password))

    committee = Committee.objects.create(name=CONTEST_COMMITTEE, province=None)
    members, logins = [], []
    for order, (username, province, first, last, position, role) in enumerate(CONTEST_USERS, 1):
        user = User.objects.create(username=username, first_name=first, last_name=last, password=password,
                                   email=f"{username}@kbo-demo.invalid")
        Affiliation.objects.create(user=user, province_id=province)
        members.append(CommitteeMember.objects.create(committee=committee, user=user, role=role, position=position,
                                                      order=order))
        logins.append((username, user.get_full_name(), f"{role.label} ({position})"))
    round = services.create_round(committee=committee, name=CONTEST_NAME, fiscal_year=2565, number=1, by=national,
                                  quota=1, reserves=1, min_scorers=3)
    _rubric(round, CONTEST_RUBRIC, by=national)
    for source in chosen_rounds:
        services.take_entries_from(round, source, by=national)
    _run(rng, round, members, by=national)
    return round, logins


def _province_round(rng, code, name, submitted, quota, *, users, password):
    """A province's own approved round: its committee of three, `submitted` eligible products of
    its registry, `quota` chosen. Run by the province's officer login where there is one
    (Lamphun), else by the national login."""
    officer = users["lamphun"] if code == "51" else users["national"]
    committee = Committee.objects.create(name=f"คณะกรรมการเครือข่ายองค์ความรู้ (Knowledge-Based OTOP : KBO) จังหวัด{name}",
                                         province_id=code)
    members = []
    for order, (suffix, role, first) in enumerate((("chair", CommitteeRole.CHAIR, "ประธาน"),
                                                   ("m1", CommitteeRole.MEMBER, "กรรมการคนที่หนึ่ง"),
                                                   ("m2", CommitteeRole.MEMBER, "กรรมการคนที่สอง")), 1):
        user = User.objects.create(username=f"p{code}{suffix}", first_name=first, last_name=f"จังหวัด{name}",
                                   password=password, email=f"p{code}{suffix}@kbo-demo.invalid")
        Affiliation.objects.create(user=user, province_id=code)
        members.append(CommitteeMember.objects.create(committee=committee, user=user, role=role, order=order))
    round = services.create_round(committee=committee, name=f"KBO จังหวัด{name} ปี 2565", fiscal_year=2565, number=1,
                                  by=officer, quota=quota, reserves=0, min_scorers=3)
    _rubric(round, CONTEST_RUBRIC, by=officer)
    eligible = (Product.objects.filter(producer__province_id=code,
                                       producer__producer_type=ProducerType.COMMUNITY_GROUP,
                                       producer__registration_year__gte=2557, producer__registration_year__lte=2564)
                .filter(Q(classification=Classification.D) | Q(star_level__gte=1, star_level__lte=3))
                .order_by("pk").values_list("code", flat=True)[:200])
    codes = rng.sample(list(eligible), submitted)
    services.add_submissions_by_codes(round, "\n".join(codes), by=officer)
    _run(rng, round, members, by=officer)
    return round


def _rubric(round, rubric, *, by):
    services.set_rubric(round, [{"name": n, "max_score": m, "description": d} for n, m, d in rubric], by=by)


def _run(rng, round, members, *, by):
    """Screen, open scoring, score (every scoring member, each submission of a distinct quality),
    submit, close, break any exact tie at the cut by the chair with a reason, approve."""
    services.screen_round(round, by=by)
    services.open_scoring(round, by=by)
    criteria = list(Criterion.objects.filter(round=round))
    scorers = [m for m in members if m.scores]
    submissions = list(round.submissions.filter(eligible=True).select_related("product").order_by("product__code"))
    qualities = rng.sample(range(60, 95), len(submissions))
    values = {}
    for submission, quality in zip(submissions, qualities):
        for member in scorers:
            for criterion in criteria:
                share = min(1.0, max(0.0, (quality + rng.gauss(0, 3)) / 100))
                values[(submission.pk, member.pk, criterion.pk)] = Decimal(round_half(share * criterion.max_score))
    Score.objects.bulk_create(
        Score(submission_id=s, member_id=m, criterion_id=c, value=v, max_score=next(
            x.max_score for x in criteria if x.pk == c)) for (s, m, c), v in values.items())
    by_pk = {m.pk: m for m in scorers}
    names = {c.pk: c.name for c in criteria}
    codes = {s.pk: s.product.code for s in submissions}
    round_type = ContentType.objects.get_for_model(round)
    ActionLog.objects.bulk_create(
        ActionLog(content_type=round_type, object_id=round.pk, action=Action.SCORE_SAVED, actor=by_pk[m].user,
                  subject=by_pk[m].user, detail={"about": codes[s], "submission": s},
                  note=f"{by_pk[m].full_name} · {names[c]}", to_state=str(v))
        for (s, m, c), v in values.items())
    for member in scorers:
        ScoreSheet.objects.get_or_create(round=round, member=member)
        services.submit_scores(round, member, by=member.user)
    # Read afresh: the user object caches its committees (selection.rules.memberships).
    chair = User.objects.get(pk=next(m.user_id for m in members if m.role == CommitteeRole.CHAIR))
    services.close_scoring(round, by=chair)
    for row in ranking.compute_ranking(round).rows:
        if row.tie_at_cut and row.tie_resolved_by == ranking.UNRESOLVED:
            services.record_decision(round, row.submission, kind=DecisionKind.TIE_BREAK,
                                     reason="คณะกรรมการพิจารณาความพร้อมด้านการตลาดแล้ว", by=chair)
            break
    return services.approve(round, by=chair)


def round_half(value):
    """To the nearest whole point, as a member writes it."""
    return int(value + 0.5)

