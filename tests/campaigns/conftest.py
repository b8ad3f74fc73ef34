from pathlib import Path

import pytest
import yaml
from django.conf import settings

from zuofeng.campaigns.loader import _StrictLoader
from zuofeng.campaigns.services import campaign_load

SEED = Path(settings.BASE_DIR) / "campaigns" / "wujin-2018.yaml"
DATA = Path(settings.BASE_DIR) / "tests" / "data" / "campaigns"
SECOND = DATA / "qingxi-2019.yaml"


def read_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506


@pytest.fixture
def seed(db):
    return campaign_load(path=SEED).campaign


@pytest.fixture
def edited(tmp_path):
    """edited(change) → path of a copy of the seed file after change(data) mutated it."""

    def make(change, source: Path = SEED, name: str = "wujin-2018.yaml") -> Path:
        data = read_yaml(source)
        change(data)
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return make
