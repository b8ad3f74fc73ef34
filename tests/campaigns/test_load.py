import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.campaigns.conftest import DATA, SECOND, SEED
from zuofeng.audit.models import AuditEntry
from zuofeng.campaigns import models as m
from zuofeng.campaigns.loader import CampaignFileError
from zuofeng.campaigns.services import campaign_load

MODELS = [
    m.Campaign,
    m.Phase,
    m.Milestone,
    m.ObstructionCategory,
    m.Symptom,
    m.Benchmark,
    m.ProblemSource,
    m.MainTask,
    m.KeyArea,
    m.Award,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def all_ids() -> dict[str, list[int]]:
    return {model.__name__: sorted(model.objects.values_list("id", flat=True)) for model in MODELS}


def test_seed_loads_with_expected_counts(seed):
    assert row_counts() == {
        "Campaign": 1,
        "Phase": 3,
        "Milestone": 2,
        "ObstructionCategory": 4,
        "Symptom": 52,
        "Benchmark": 6,
        "ProblemSource": 4,
        "MainTask": 4,
        "KeyArea": 8,
        "Award": 9,
    }
    categories = {c.key: c for c in seed.categories.all()}
    assert [(c.name, c.slogan) for c in categories.values()] == [
        ("思维中梗阻", "推动思想大解放"),
        ("责任中梗阻", "激发担当新动能"),
        ("禁令中梗阻", "提升制度约束力"),
        ("执行中梗阻", "促进服务高质量"),
    ]
    assert {key: c.symptoms.count() for key, c in categories.items()} == {
        "thinking": 4,
        "responsibility": 15,
        "prohibition": 13,
        "execution": 20,
    }
    assert list(categories["thinking"].symptoms.values_list("name", flat=True)) == [
        "疲软症",
        "冷热症",
        "虚浮症",
        "恐慌症",
    ]
    assert list(categories["responsibility"].symptoms.values_list("name", flat=True)[:5]) == [
        "权责不清晰",
        "分工不明确",
        "履职不到位",
        "拈轻怕重",
        "推诿扯皮",
    ]
    assert list(categories["prohibition"].symptoms.values_list("name", flat=True))[-3:] == [
        "人为设障",
        "故意刁难",
        "吃拿卡要",
    ]
    assert list(categories["execution"].symptoms.values_list("name", flat=True))[-4:] == [
        "调查研究少",
        "深入基层少",
        "主动服务少",
        "创新创优少",
    ]


def test_seed_notice_fields(seed):
    assert (seed.slug, seed.year, seed.doc_number, seed.issuer, seed.issued_on) == (
        "wujin-2018",
        2018,
        "武作组办〔2018〕2号",
        "常州市武进区作风建设领导小组办公室",
        dt.date(2018, 8, 8),
    )
    assert seed.notice_title == "关于印发《全区机关开展“打通中梗阻、激发新动能”专项活动实施意见》的通知"
    assert (seed.printed_by, seed.printed_on) == ("常州市武进区作风建设领导小组办公室", dt.date(2018, 8, 8))
    assert (seed.forwarded_by, seed.forwarded_on) == ("常州市武进区安全生产监督管理局办公室", dt.date(2018, 8, 31))
    assert seed.recipients == [
        "各镇党委、人民政府",
        "区委各部委办",
        "开发区党工委、管委会",
        "街道党工委、办事处",
        "区各办局（公司）行",
        "区各直属单位",
        "区各人民团体",
    ]
    assert [(s["number"], s["title"]) for s in seed.opinion_body] == [
        ("", ""),
        ("一", "总体要求"),
        ("二", "工作目标"),
        ("三", "对象范围"),
        ("四", "主要任务"),
        ("五", "实施步骤"),
        ("六", "保障措施"),
    ]
    assert seed.contact == {
        "address": "区行政中心1号楼915室",
        "person": "刘文宗",
        "phone": "86310060",
        "email": "wjqwbmsk@126.com",
        "submit_to": "区委办",
    }
    assert seed.settings == {
        "yellow_behind": 10,
        "red_behind": 30,
        "due_soon_days": 7,
        "working_days": False,
        "unit_red_share": 20,
        "unit_yellow_share": 20,
        "record_awards": {"project": ["excellent-project"], "initiative": ["innovation"]},
    }
    assert seed.is_default is True
    assert seed.source_file == "campaigns/wujin-2018.yaml"
    assert len(seed.source_sha256) == 64
    assert seed.year_shift == 0
    assert seed.definition["notice"]["issued_on"] == "2018-08-08"


def test_seed_lists(seed):
    assert list(seed.sources.values_list("kind", "name")) == [
        ("self", "自己找"),
        ("leader", "领导点"),
        ("public", "群众提"),
        ("organisation", "组织议"),
    ]
    assert list(seed.key_areas.values_list("name", flat=True)) == [
        "项目增效",
        "企业股改",
        "特色平台",
        "高效用地",
        "生态引领",
        "教育均等",
        "增收节支",
        "高效服务",
    ]
    assert list(seed.phases.values_list("name", "starts_on", "ends_on")) == [
        ("宣传发动", dt.date(2018, 8, 1), dt.date(2018, 8, 31)),
        ("全面推进", dt.date(2018, 9, 1), dt.date(2018, 12, 31)),
        ("持续深化", dt.date(2019, 1, 1), None),
    ]
    assert list(seed.milestones.values_list("due_on", "applies_to", "phase__key")) == [
        (dt.date(2018, 9, 15), "rectification", "advance"),
        (dt.date(2018, 11, 1), "nominations", "advance"),
    ]
    assert seed.benchmarks.first().name == "中央、省委及市委对武进高质量发展新要求"
    assert list(seed.tasks.values_list("name", flat=True)) == [
        "开展对标要求、找差整改活动",
        "开展岗位建功、提质增效活动",
        "开展创新创优、突破攻坚活动",
        "开展问效问责、专项督查活动",
    ]


def test_seed_awards(seed):
    awards = {a.key: a for a in seed.awards.all()}
    assert [(a.name, a.kind) for a in awards.values()] == [
        ("十佳优秀服务明星", "individual"),
        ("优质服务事例", "case"),
        ("阳湖先锋", "individual"),
        ("服务标兵", "individual"),
        ("五个三年行动计划先进个人", "individual"),
        ("五个三年行动计划先进集体", "collective"),
        ("优秀项目奖", "project"),
        ("创新工作奖", "project"),
        ("突出贡献奖", "collective"),
    ]
    star, case = awards["service-star"], awards["service-case"]
    assert (star.quota_min, star.quota_max, star.quota_label, star.level) == (0, 1, "每单位限报 1 名", "市级")
    assert (case.quota_min, case.quota_max, case.quota_label) == (1, None, "每单位至少 1 例")
    shanghai = timezone.get_default_timezone()
    assert star.deadline == dt.datetime(2018, 11, 1, 23, 59, 59, tzinfo=shanghai)
    assert case.deadline == star.deadline
    labels = [[f["label"] for f in row] for row in star.form["rows"]]
    assert labels == [
        ["姓  名", "现任职务"],
        ["性  别", "出生年月"],
        ["政治面貌", "联系电话"],
        ["所获荣誉\n（近三年）"],
        ["主要事迹\n（500字以内）"],
        ["辖市（区）作风办\n或主管部门意见"],
    ]
    assert star.form["attachment"] == 1
    assert star.form["applicant_line"] == "申报单位（盖章）"
    assert star.form["rows"][4][0]["max_chars"] == 500
    assert (star.form["rows"][5][0]["stamp"], star.form["rows"][5][0]["dated"]) == (True, True)
    assert [f["label"] for row in case.form["rows"] for f in row][:5] == [
        "牵头处（科）室",
        "负 责 人",
        "联系电话",
        "事例名称",
        "主要做法及成效\n（500字以内）",
    ]
    for award in awards.values():
        assert sum(c["weight"] for c in award.criteria) == 100, award.key


def test_reload_same_file_is_idempotent(seed):
    ids, entries = all_ids(), AuditEntry.objects.count()
    result = campaign_load(path=SEED)
    assert result.changed is False
    assert result.summary() == ["专项活动「全区机关开展“打通中梗阻、激发新动能”专项活动」（wujin-2018）未变化。"]
    assert all_ids() == ids
    assert AuditEntry.objects.count() == entries


def test_load_writes_one_audit_entry(db):
    campaign = campaign_load(path=SEED).campaign
    entry = AuditEntry.objects.get(action="campaign.load")
    assert (entry.object_id, entry.actor_id, entry.actor_username) == (str(campaign.pk), None, "（命令行）")
    assert entry.before is None
    assert entry.after["source_file"] == "campaigns/wujin-2018.yaml"
    assert entry.after["lists"]["symptoms"] == {"created": 52, "updated": 0, "deactivated": 0, "total": 52}


def test_changed_file_updates_in_place_and_deactivates_removed(seed, edited):
    ids = all_ids()
    thinking = seed.symptoms.get(key="thinking-01")

    def change(data):
        data["symptoms"][0]["name"] = "精神疲软症"
        # the last category, so the others keep their order
        data["symptoms"] = [s for s in data["symptoms"] if s["category"] != "execution"]
        data["categories"] = [c for c in data["categories"] if c["key"] != "execution"]
        data["key_areas"].append({"key": "new-area", "name": "新攻坚重点"})
        data["awards"][0]["quota"]["max"] = 2

    result = campaign_load(path=edited(change))
    assert result.lists["symptoms"].updated == 1
    assert result.lists["symptoms"].deactivated == 20
    assert result.lists["categories"].deactivated == 1
    assert result.lists["key_areas"].created == 1
    assert result.lists["awards"].updated == 1
    thinking.refresh_from_db()
    assert (thinking.pk, thinking.name, thinking.is_active) == (ids["Symptom"][0], "精神疲软症", True)
    execution = seed.categories.get(key="execution")
    assert execution.is_active is False
    assert execution.symptoms.count() == 20  # the rows survive, deactivated
    assert execution.symptoms.filter(is_active=True).count() == 0
    assert m.Symptom.objects.count() == 52
    assert seed.awards.get(key="service-star").quota_max == 2
    assert m.Campaign.objects.get().source_file.endswith("wujin-2018.yaml")
    assert "更新 1" in "\n".join(result.summary())


def test_reappearing_key_is_reactivated(seed, edited):
    campaign_load(path=edited(lambda d: d["benchmarks"].pop()))
    assert seed.benchmarks.filter(is_active=True).count() == 5
    result = campaign_load(path=SEED)
    assert result.lists["benchmarks"].updated == 1
    assert seed.benchmarks.filter(is_active=True).count() == 6
    assert seed.benchmarks.count() == 6


def test_year_shifts_every_date_of_the_schedule_but_not_of_the_notice(db):
    campaign = campaign_load(path=SEED, year=2026).campaign
    assert (campaign.year, campaign.year_shift) == (2026, 8)
    # The notice is a 2018 document: 成文 8月8日, 印发 8月8日 and 8月31日, whatever year the demo runs in.
    assert (campaign.issued_on, campaign.printed_on, campaign.forwarded_on) == (
        dt.date(2018, 8, 8),
        dt.date(2018, 8, 8),
        dt.date(2018, 8, 31),
    )
    assert list(campaign.milestones.values_list("due_on", flat=True)) == [dt.date(2026, 9, 15), dt.date(2026, 11, 1)]
    assert list(campaign.phases.values_list("starts_on", flat=True)) == [
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
        dt.date(2027, 1, 1),
    ]
    star = campaign.awards.get(key="service-star")
    assert star.opens_on == dt.date(2026, 8, 8)
    assert star.deadline == dt.datetime(2026, 11, 1, 23, 59, 59, tzinfo=timezone.get_default_timezone())
    assert campaign.doc_number == "武作组办〔2018〕2号"  # text is not a date


def test_year_shift_then_back_updates_in_place(db):
    first = campaign_load(path=SEED, year=2026)
    ids = all_ids()
    back = campaign_load(path=SEED)
    assert back.changed is True
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.before["year"], entry.before["year_shift"]) == (2026, 8)
    assert (entry.after["year"], entry.after["year_shift"]) == (2018, 0)
    assert entry.after["changed"] == ["year", "year_shift"]
    assert back.campaign.pk == first.campaign.pk
    assert back.campaign.issued_on == dt.date(2018, 8, 8)
    assert all_ids() == ids


def test_year_shift_moves_29_february_to_28th(db, edited):
    def change(data):
        data["year"] = 2020
        data["milestones"][0]["due_on"] = dt.date(2020, 2, 29)
        data["milestones"][0]["phase"] = None

    campaign = campaign_load(path=edited(change), year=2021).campaign
    assert campaign.milestones.get(key="rectification-plan").due_on == dt.date(2021, 2, 28)


def test_second_campaign_loads_beside_the_first(seed):
    second = campaign_load(path=SECOND).campaign
    assert m.Campaign.objects.count() == 2
    assert second.is_default is False
    assert (second.categories.count(), second.symptoms.count(), second.milestones.count(), second.awards.count()) == (
        3,
        5,
        3,
        2,
    )
    assert second.key_areas.count() == 0
    assert second.settings["working_days"] is True
    window = second.awards.get(key="best-window")
    assert window.deadline == dt.datetime(2019, 9, 20, 17, 0, tzinfo=timezone.get_default_timezone())
    assert window.quota_label == "每单位限报 2 个"
    assert second.awards.get(key="unblock-case").quota_label == "每单位至少 2 例"
    assert seed.symptoms.count() == 52


def test_make_default_moves_the_default(seed):
    second = campaign_load(path=SECOND, make_default=True).campaign
    seed.refresh_from_db()
    assert (seed.is_default, second.is_default) == (False, True)
    assert m.Campaign.objects.filter(is_default=True).count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bad-type.yaml", "tests/data/campaigns/bad-type.yaml：awards[0].quota.max：必须是整数"),
        (
            "unknown-key.yaml",
            "tests/data/campaigns/unknown-key.yaml：milestones[0].due_no：不认识的字段，请检查拼写（定义文件不允许多余的字段）",
        ),
        ("missing-field.yaml", "tests/data/campaigns/missing-field.yaml：notice.issuer：缺少此项（必填）"),
        (
            "dangling-category.yaml",
            "tests/data/campaigns/dangling-category.yaml：symptoms[1].category："
            "找不到中梗阻类别「nowhere」（categories 中没有这个标识）",
        ),
    ],
)
def test_broken_file_is_refused_and_changes_nothing(seed, name, message):
    before, entries = row_counts(), AuditEntry.objects.count()
    with pytest.raises(CampaignFileError) as refused:
        campaign_load(path=DATA / name)
    assert message in refused.value.messages
    assert row_counts() == before
    assert AuditEntry.objects.count() == entries


def test_broken_edit_of_loaded_campaign_leaves_it_untouched(seed, edited):
    def change(data):
        data["title"] = "改过的标题"
        data["awards"][2]["quota"]["max"] = "一"

    ids = all_ids()
    with pytest.raises(CampaignFileError) as refused:
        campaign_load(path=edited(change))
    assert refused.value.messages[0].endswith("wujin-2018.yaml：awards[2].quota.max：必须是整数")
    seed.refresh_from_db()
    assert seed.title == "全区机关开展“打通中梗阻、激发新动能”专项活动"
    assert all_ids() == ids


def test_failure_during_write_rolls_everything_back(db, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("zuofeng.campaigns.services.audit_record", explode)
    with pytest.raises(RuntimeError):
        campaign_load(path=SEED)
    assert sum(row_counts().values()) == 0


def test_person_needs_campaign_manage(people):
    with pytest.raises(PermissionDenied):
        campaign_load(path=SEED, actor=people.own_clerk)
    assert m.Campaign.objects.count() == 0
    campaign = campaign_load(path=SEED, actor=people.office).campaign
    assert AuditEntry.objects.get(action="campaign.load").actor_id == people.office.pk
    assert campaign.slug == "wujin-2018"


def test_rules_carry_their_basis_in_the_notice(seed):
    assert dict(seed.phases.values_list("key", "basis")) == {
        "mobilise": "宣传发动（8月）",
        "advance": "全面推进（9月—12月）",
        "deepen": "",  # the notice gives no start date: the office chose 1 January
    }
    assert dict(seed.milestones.values_list("key", "basis")) == {
        "rectification-plan": "于9月15日前完成找差和整改措施制定工作",
        "nominations-due": "申报表电子稿和纸质稿（盖章）于11月1日前报区委办",
    }
    bases = {a.key: (a.quota_basis, a.deadline_basis) for a in seed.awards.all()}
    assert bases["service-star"] == (
        "“十佳优秀服务明星”（申报表见附件1）各单位限报1名",
        "申报表电子稿和纸质稿（盖章）于11月1日前报区委办",
    )
    assert bases["service-case"] == (
        "“优质服务事例”（申报表见附件2）各单位至少报送1例",
        "申报表电子稿和纸质稿（盖章）于11月1日前报区委办",
    )
    district_awards = [key for key in bases if key not in ("service-star", "service-case")]
    assert len(district_awards) == 7
    assert all(bases[key] == ("", "") for key in district_awards)  # district quotas: 作风办设定


def test_a_basis_the_notice_does_not_say_is_refused(seed, edited):
    def change(data):
        data["awards"][2]["quota_basis"] = "各单位限报2名"  # invented: the notice says no such thing

    before = row_counts()
    with pytest.raises(CampaignFileError) as refused:
        campaign_load(path=edited(change))
    assert any(
        message.endswith(
            "awards[2].quota_basis：依据「各单位限报2名」在通知原文和实施意见中找不到；请逐字引用原文，或留空表示作风办设定"
        )
        for message in refused.value.messages
    )
    assert row_counts() == before


def test_a_basis_may_wrap_across_lines_of_the_notice(seed, edited):
    def change(data):
        data["milestones"][0]["basis"] = "于9月15日前 完成找差和\n整改措施制定工作"

    assert campaign_load(path=edited(change)).campaign.milestones.get(key="rectification-plan").basis
