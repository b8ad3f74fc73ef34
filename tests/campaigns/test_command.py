import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.campaigns.conftest import DATA, SECOND, SEED
from zuofeng.campaigns.models import Campaign


def run(*args) -> str:
    out = StringIO()
    call_command("load_campaign", *map(str, args), stdout=out)
    return out.getvalue()


def test_command_loads_and_reports(db):
    output = run(SEED)
    assert output.splitlines()[0] == "已新建专项活动「全区机关开展“打通中梗阻、激发新动能”专项活动」（wujin-2018）。"
    assert "具体表现：52 项" in output
    assert "奖项：9 项" in output
    assert output.splitlines()[-1] == "当前为默认活动。"


def test_command_second_run_says_unchanged(db):
    run(SEED)
    assert run(SEED) == "专项活动「全区机关开展“打通中梗阻、激发新动能”专项活动」（wujin-2018）未变化。\n"


def test_command_year_option(db):
    output = run(SEED, "--year", 2026)
    assert "年份平移 +8 年（2018 → 2026）。" in output
    campaign = Campaign.objects.get()
    assert campaign.milestones.get(key="rectification-plan").due_on == dt.date(2026, 9, 15)


def test_command_default_option(db):
    run(SEED)
    output = run(SECOND, "--default")
    assert "当前为默认活动。" in output
    assert Campaign.objects.get(is_default=True).slug == "qingxi-2019"


def test_command_refuses_broken_file(db):
    with pytest.raises(CommandError) as refused:
        run(DATA / "bad-type.yaml")
    assert str(refused.value) == (
        "定义文件未载入，数据库未作任何修改：\ntests/data/campaigns/bad-type.yaml：awards[0].quota.max：必须是整数"
    )
    assert Campaign.objects.count() == 0


def test_command_refuses_silly_year(db):
    with pytest.raises(CommandError, match="--year 须在 2000 到 2100 之间"):
        run(SEED, "--year", 18)
