"""Demo 攻坚 projects, innovation initiatives and post activities (`manage.py demo_projects`), after
demo_district and load_campaign.

Everything goes through the services and the one transition function, under `clock.frozen(...)` at
plausible moments, so history, audit trail and reminders look as if people had done it. Lights are
computed for today, so plans are dated around today: started 3–7 months ago, due 4–8 months ahead,
four quarterly milestones. Progress is spread on purpose (ahead, on schedule, behind, a milestone
overdue, a plan still waiting for review) so the office view shows every light. Projects, initiatives
and people's deeds are fictitious (演示数据均为虚构). Idempotent: a campaign that already has
projects is left alone.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from zuofeng.campaigns.models import Campaign
from zuofeng.core import clock
from zuofeng.nominations.demo import leader_unit, nominating_units, office_user, unit_admin
from zuofeng.organisation.models import Person, Unit
from zuofeng.projects.models import ActivityKind, Initiative, Milestone, Project, ProjectState
from zuofeng.projects.services import initiatives as initiative_services
from zuofeng.projects.services import plan
from zuofeng.projects.services.progress import milestone_report
from zuofeng.projects.workflow import project_transition

# key area → (title, goal, (target name, unit, baseline, target, direction)) — three per area
CATALOGUE = {
    "project-efficiency": [
        ("重大项目“全程代办”", "重大产业项目从签约到开工时间压缩一半", ("签约到开工", "个月", 12, 6, "lower")),
        ("工业项目“拿地即开工”", "工业项目实现拿地即开工", ("拿地到开工", "天", 90, 15, "lower")),
        ("项目审批“容缺受理”", "扩大容缺受理事项范围", ("容缺受理事项", "项", 20, 60, "higher")),
    ],
    "shareholding-reform": [
        ("规上企业股份制改造三年行动", "推动规上企业完成股改", ("完成股改企业", "家", 35, 80, "higher")),
        ("拟上市企业“一企一策”辅导", "拟上市企业进入辅导期", ("辅导备案企业", "家", 4, 10, "higher")),
        ("股改企业证照变更联办", "股改涉及的证照变更一次办结", ("变更办理时间", "个工作日", 15, 3, "lower")),
    ],
    "platforms": [
        ("武进国家高新区特色产业园提升", "园区亩均税收提高", ("亩均税收", "万元", 28, 40, "higher")),
        ("西太湖科技产业园孵化器建设", "新增孵化面积和在孵企业", ("在孵企业", "家", 120, 200, "higher")),
        ("绿色建筑产业集聚示范区", "集聚区新增企业", ("新增入驻企业", "家", 0, 30, "higher")),
    ],
    "land-use": [
        ("低效用地再开发", "盘活存量低效工业用地", ("盘活低效用地", "亩", 0, 1500, "higher")),
        ("“零地技改”项目推进", "推动零地技改项目投产", ("零地技改项目", "个", 40, 90, "higher")),
        ("闲置土地处置", "处置批而未供和闲置土地", ("闲置土地", "亩", 860, 200, "lower")),
    ],
    "ecology": [
        ("太湖湾水环境综合治理", "主要入湖河道水质稳定达标", ("Ⅲ类及以上断面比例", "%", 62, 85, "higher")),
        ("挥发性有机物专项整治", "重点企业 VOCs 排放削减", ("VOCs 排放量", "吨/年", 4200, 2900, "lower")),
        ("农村生活污水治理全覆盖", "自然村污水治理覆盖率提高", ("治理覆盖率", "%", 55, 90, "higher")),
    ],
    "education": [
        ("集团化办学扩面提质", "新增紧密型教育集团", ("集团化办学覆盖率", "%", 45, 80, "higher")),
        ("新建改扩建中小学校", "新增学位缓解入学压力", ("新增学位", "个", 0, 9000, "higher")),
        ("城乡教师交流轮岗", "骨干教师交流轮岗比例提高", ("骨干教师交流比例", "%", 12, 20, "higher")),
    ],
    "revenue": [
        ("“三公”经费压减", "一般性支出压减", ("“三公”经费", "万元", 3200, 2600, "lower")),
        ("国有资产盘活", "闲置国有资产出租处置", ("闲置资产面积", "万平方米", 18, 5, "lower")),
        ("非税收入征管提升", "非税收入应收尽收", ("非税收入征收率", "%", 91, 99, "higher")),
    ],
    "service": [
        ("企业开办“一日办结”", "企业开办全流程压缩到 1 个工作日", ("企业开办时间", "个工作日", 3, 1, "lower")),
        ("不动产登记“一窗办理”", "不动产登记一窗受理、限时办结", ("登记办理时间", "个工作日", 5, 2, "lower")),
        ("政务服务“一张网”", "事项网上可办率提高", ("网上可办率", "%", 70, 95, "higher")),
    ],
}
MILESTONES = ["调研摸底、制定实施方案", "重点任务全面铺开", "攻坚突破、中期评估", "总结验收、形成长效机制"]
# how far each project gets: (share of elapsed milestones reported done, report the current one at %)
PROFILES = ["ahead", "on_track", "on_track", "behind", "overdue", "submitted", "done"]

INITIATIVES = [
    ("企业开办“一表申请、一窗发放”", "开办企业要分别到工商、公安、税务、社保窗口", 6, 1, 14, 5, 5, 1),
    ("不动产登记“交易+登记+缴税”一窗受理", "过户要在三个窗口排三次队", 5, 2, 12, 6, 7, 2),
    ("工程建设项目“联合图审”", "图纸要分别报送消防、人防、规划审查", 4, 1, 9, 4, 20, 8),
    ("社保业务“就近办”", "参保群众须到区中心窗口办理", 3, 2, 6, 3, 3, 0.5),
    ("涉企证明“告知承诺制”", "企业反复开具各类证明", 4, 1, 8, 2, 10, 1),
    ("户籍业务“全城通办”", "户籍业务只能在户籍地派出所办理", 3, 1, 5, 3, 7, 1),
]
ACTIVITIES = [
    (ActivityKind.CONTEST, "窗口服务技能竞赛", "个人一等奖 1 名、二等奖 2 名"),
    (ActivityKind.DRILL, "政策法规岗位练兵", "全员通过业务测试，平均 92 分"),
    (ActivityKind.INNOVATION, "“微创新”金点子征集", "采纳金点子 6 条，其中 2 条已推广"),
    (ActivityKind.VENTURE, "服务企业“创业导师”结对", "结对服务初创企业 15 家"),
]


@dataclass
class DemoResult:
    projects: int = 0
    approved: int = 0
    reports: int = 0
    initiatives: int = 0
    promoted: int = 0
    adoptions: int = 0
    activities: int = 0
    accounts: int = 0


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0))


def _plan_dates(rng: random.Random, today: dt.date) -> tuple[dt.date, dt.date, list[dt.date]]:
    start = today - dt.timedelta(days=rng.randint(95, 210))
    deadline = today + dt.timedelta(days=rng.randint(120, 240))
    step = (deadline - start) / 4
    return start, deadline, [start + step * (i + 1) for i in range(3)] + [deadline]


def _project(result, rng, campaign, unit, area, entry, profile, office, today, partners=()) -> None:
    title, goal, (name, measure_unit, baseline, target, direction) = entry
    actor = unit_admin(unit, result)
    start, deadline, dues = _plan_dates(rng, today)
    leader = Person.objects.filter(unit__path__startswith=unit.path).order_by("order", "pk").first()
    with clock.frozen(_at(start - dt.timedelta(days=10))):
        project = plan.project_create(
            actor=actor, campaign=campaign, unit=unit, key_area=area, title=title, goal=goal, lead_leader=leader,
            lead_section=unit.children.order_by("sort_key").first(), starts_on=start, deadline=deadline,
            partner_units=partners,
        )  # fmt: skip
        row = plan.target_add(
            actor=actor, project=project, version=None, name=name, measure_unit=measure_unit,
            baseline=Decimal(baseline), target=Decimal(target), direction=direction,
        )  # fmt: skip
        for title_, due in zip(MILESTONES, dues, strict=True):
            plan.milestone_add(actor=actor, project=project, version=None, title=title_, due_on=due)
        if profile != "draft":
            project_transition(actor=actor, project=project, to=ProjectState.SUBMITTED, notify=False)
    result.projects += 1
    if profile in ("submitted", "draft"):
        return
    with clock.frozen(_at(start - dt.timedelta(days=5))):
        project_transition(actor=office, project=project, to=ProjectState.APPROVED, notify=False)
    result.approved += 1
    _progress(result, rng, project, row, profile, actor, today)


def _progress(result, rng, project, target, profile, actor, today) -> None:
    """Report each milestone due so far (done, or short of done when behind), then the current one."""
    baseline, goal = float(target.baseline), float(target.target)
    milestones = list(project.milestones.order_by("due_on"))
    previous = project.starts_on
    for i, m in enumerate(milestones):
        elapsed = m.due_on <= today
        if profile == "done":
            percent = 100
        elif elapsed:
            percent = 70 if profile == "overdue" and i == sum(x.due_on <= today for x in milestones) - 1 else 100
        else:
            planned = 100 * (today - previous).days / max((m.due_on - previous).days, 1)
            percent = {"ahead": min(100, planned + 25), "on_track": planned, "behind": max(0, planned - 40)}.get(
                profile, planned
            )
        day = min(today, m.due_on) if elapsed or profile == "done" else today
        if day <= previous and profile != "done":
            break
        share = (i + percent / 100) / 4
        value = Decimal(str(round(baseline + (goal - baseline) * share, 1)))
        with clock.frozen(_at(max(day, project.starts_on))):
            milestone_report(
                actor=actor, milestone=m, reported_on=max(day, project.starts_on), text=_report_text(m, int(percent)),
                percent=int(percent), values={str(target.pk): str(value)},
            )  # fmt: skip
        result.reports += 1
        previous = m.due_on
        if not elapsed and profile != "done":
            break


def _report_text(milestone: Milestone, percent: int) -> str:
    if percent >= 100:
        return f"“{milestone.title}”已按期完成，相关材料已归档。"
    return f"“{milestone.title}”正在推进，已完成约 {percent}%，下一步将加快进度。"


def _initiatives(result, rng, campaign, units, office, today) -> None:
    for i, (title, problem, s0, s1, m0, m1, d0, d1) in enumerate(INITIATIVES):
        unit = units[(i * 5) % len(units)]
        actor = unit_admin(unit, result)
        started = today - dt.timedelta(days=150 - 15 * i)
        with clock.frozen(_at(started + dt.timedelta(days=3))):
            initiative = initiative_services.initiative_create(
                actor=actor, campaign=campaign, unit=unit, title=title, problem=problem,
                description=f"整合窗口和流程，推行“{title.split('“')[-1].rstrip('”')}”，实现数据共享、一次办结。",
                steps_before=s0, steps_after=s1, materials_before=m0, materials_after=m1,
                days_before=Decimal(str(d0)), days_after=Decimal(str(d1)), started_on=started,
            )  # fmt: skip
        result.initiatives += 1
        if i % 2:
            continue
        with clock.frozen(_at(started + dt.timedelta(days=30))):
            initiative_services.initiative_promote(actor=office, initiative=initiative)
        result.promoted += 1
        for k in range(1, 3 + (i % 3)):
            other = units[(i * 5 + 7 * k) % len(units)]
            if other == unit:
                continue
            day = started + dt.timedelta(days=40 + 10 * k)
            with clock.frozen(_at(day)):
                initiative_services.initiative_adopt(
                    actor=unit_admin(other, result), initiative=initiative, unit=other, adopted_on=day,
                    note="参照该做法在本单位窗口推行，办理时限明显缩短。",
                )  # fmt: skip
            result.adoptions += 1


def _activities(result, campaign, units, today) -> None:
    for i, unit in enumerate(units[:12]):
        people = list(Person.objects.filter(unit__path__startswith=unit.path, is_active=True).order_by("pk")[:4])
        if not people:
            continue
        kind, title, outcome = ACTIVITIES[i % len(ACTIVITIES)]
        day = today - dt.timedelta(days=20 + 9 * i)
        with clock.frozen(_at(day)):
            initiative_services.activity_create(
                actor=unit_admin(unit, result), campaign=campaign, unit=unit, kind=kind, title=title, held_on=day,
                participants=people[: 2 + i % 3], result=outcome,
            )  # fmt: skip
        result.activities += 1


def demo_projects_build(*, seed: int = 2018) -> DemoResult:
    result = DemoResult()
    campaign = Campaign.objects.filter(is_default=True).first()
    office = office_user()
    if campaign is None or office is None or Project.objects.filter(campaign=campaign).exists():
        return result
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    today = clock.today()
    units: list[Unit] = nominating_units()
    areas = {a.key: a for a in campaign.key_areas.all()}
    # The demo leader's unit (区财政局) owns the 增收节支 projects its work is about: one under way, one a
    # draft still being written, so the demo logins have a report form and an editable plan to try.
    own = leader_unit()
    n = 0
    for key, entries in CATALOGUE.items():
        if key not in areas:
            continue
        for i, entry in enumerate(entries):
            unit, profile = units[(n * 3) % len(units)], PROFILES[n % len(PROFILES)]
            if own is not None and key == "revenue" and i != 1:
                unit, profile = own, ("on_track", None, "draft")[i]
            # 配合单位: the next unit in order, and the demo leader's unit in every fourth project, so that
            # login has 协办项目 to read.
            partners = [units[(n * 3 + 1) % len(units)]] + ([own] if own is not None and n % 4 == 1 else [])
            _project(result, rng, campaign, unit, areas[key], entry, profile, office, today, partners)
            n += 1
    if not Initiative.objects.filter(campaign=campaign).exists():
        _initiatives(result, rng, campaign, units, office, today)
        _activities(result, campaign, units, today)
    return result
