"""Demo 群众反映 for the demo district: cases at every step of the order, filed through the same
services as the public form (so identities are encrypted and every step is audited). Idempotent:
each case has a fixed submission key, and its steps run only when it is first stored."""

import dataclasses

from zuofeng.accounts.models import Role, User
from zuofeng.campaigns.selectors import campaign_current
from zuofeng.complaints.captcha import captcha_new
from zuofeng.complaints.models import ComplaintState as S
from zuofeng.complaints.services.intake import Report, complaint_report
from zuofeng.complaints.workflow import complaint_transition
from zuofeng.organisation.models import Unit

FINANCE = "D20"  # 区财政局, where the demo accounts leader and clerk work


@dataclasses.dataclass
class Case:
    kind: str
    text: str
    unit_code: str | None
    steps: tuple[str, ...]
    name: str = ""
    phone: str = ""
    place: str = ""


CASES = [
    Case(
        "complaint",
        "到区财政局办理非税收入退付，窗口让我补材料，第二次去又说还缺另一份，前后跑了三趟。",
        FINANCE,
        ("dispatch",),
        "李建华",
        "13800000001",
        "区政务服务中心财政窗口",
    ),
    Case(
        "complaint",
        "政府采购中心对我公司的质疑答复一拖再拖，超过规定时限一个多月没有任何回复。",
        FINANCE,
        ("dispatch", "sign"),
        "",
        "",
        "区政府采购中心",
    ),
    Case(
        "suggestion",
        "建议财政局把企业补贴申报材料清单公布在网上，一次性告知，免得企业来回跑。",
        FINANCE,
        ("dispatch", "sign", "reply"),
        "周敏",
        "13800000002",
    ),
    Case(
        "complaint",
        "办理项目资金拨付时，经办人员说领导不在不能签字，让我们等了两周。",
        FINANCE,
        ("dispatch", "sign", "reply", "answer", "rate_bad"),
        "陈国强",
        "13800000003",
    ),
    Case(
        "praise",
        "预算科工作人员下班后仍耐心帮我们核对报表，服务很好，特此表扬。",
        FINANCE,
        ("dispatch", "sign", "reply", "answer", "rate_good", "conclude"),
        "",
        "",
    ),
    Case(
        "complaint",
        "不知道该找哪个部门：小区门口道路积水多年没人管，问了几个部门都说不归自己管。",
        None,
        (),
        "王丽",
        "13800000004",
    ),
    Case("complaint", "我家邻居欠钱不还，请作风办帮我追讨。", None, ("decline",), "", ""),
]


@dataclasses.dataclass
class Result:
    created: int = 0
    moved: int = 0
    answers: int = 0


def demo_complaints_build() -> Result:
    campaign = campaign_current()
    office = User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).order_by("pk").first()
    leader = User.objects.filter(username="leader").first()
    result = Result()
    if campaign is None or office is None or leader is None:
        return result
    for n, case in enumerate(CASES, start=1):
        unit = Unit.objects.filter(code=case.unit_code).first() if case.unit_code else None
        captcha = captcha_new()
        a, b = captcha.answer.split("+")
        receipt = complaint_report(
            campaign=campaign,
            report=Report(
                kind=case.kind,
                text=case.text,
                unit=unit,
                place=case.place,
                named=bool(case.name),
                name=case.name,
                phone=case.phone,
            ),
            address=f"demo-{n}",
            submission_key=f"demo-complaint-{n}",
            captcha_token=captcha.token,
            captcha_answer=str(int(a) + int(b)),
        )
        if not receipt.created:
            continue
        result.created += 1
        for step in case.steps:
            _step(step, complaint=receipt.complaint, office=office, leader=leader, unit=unit, campaign=campaign)
            result.moved += 1
    if result.created:
        result.answers = _survey(campaign=campaign, office=office)
    return result


def _survey(*, campaign, office) -> int:
    """One period: 区财政局 above the minimum count (published), 区人社局 below it, and a burst set aside."""
    from zuofeng.complaints.services.survey import survey_answer, survey_open

    period = survey_open(actor=office, campaign=campaign, name="演示：第四季度群众满意度测评", by_device=False)
    ratings = ("satisfied", "satisfied", "basically", "unsatisfied")
    plan = [(FINANCE, period.min_responses + 2), ("D21", 4)]
    answers = 0
    for code, count in plan:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        for n in range(count):
            scores = {item: ratings[(n + i) % len(ratings)] for i, item in enumerate(period.items)}
            burst = code == FINANCE and n >= count - 7  # the last seven from one address: a burst
            survey_answer(
                period=period, unit=unit, scores=scores, comment="", phone=f"1370000{answers:04d}",
                device_key="", address="demo-burst" if burst else f"demo-{answers}",
            )  # fmt: skip
            answers += 1
    return answers


def _step(step: str, *, complaint, office, leader, unit, campaign) -> None:
    def move(actor, to, **fields):
        complaint_transition(actor=actor, complaint=complaint, to=to, **fields)

    if step == "dispatch":
        move(office, S.DISPATCHED, unit=unit)
    elif step == "sign":
        move(leader, S.HANDLING)
    elif step == "reply":
        move(leader, S.REPLIED, reply="经核查，情况属实。已对相关人员批评教育，并实行一次性告知和限时办结制度。")
    elif step == "answer":
        move(office, S.ANSWERED)
    elif step in ("rate_bad", "rate_good"):
        move(None, S.RATED, rating="unsatisfied" if step == "rate_bad" else "satisfied", rating_comment="")
    elif step == "conclude":
        move(office, S.CONCLUDED)
    elif step == "decline":
        move(office, S.DECLINED, comment="属于民事纠纷，不属于作风效能问题，请通过人民调解或诉讼途径解决。")
