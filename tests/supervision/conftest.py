"""The rectification test campaign with the YAML's supervision section, a round over section_a1 and
section_b1 with a scoped inspector on its team, and one outside it."""

import datetime as dt
import io
import json

import pytest
import yaml
from django.conf import settings
from PIL import Image

from tests.factories import Role, make_user
from tests.rectification.conftest import campaign, ledger, problem_with_measure  # noqa: F401 (fixtures)
from zuofeng.supervision.services.rounds import round_create


@pytest.fixture
def supervised(campaign):  # noqa: F811
    with open(settings.BASE_DIR / "campaigns" / "wujin-2018.yaml", encoding="utf-8") as f:
        # as the loader stores it: JSON, dates as ISO text
        campaign.definition = json.loads(json.dumps({"supervision": yaml.safe_load(f)["supervision"]}, default=str))
    campaign.save()
    return campaign


@pytest.fixture
def inspectors(org):
    class Inspectors:
        pass

    i = Inspectors()
    # Scoped to another department, so the round is the only way they see section_a1.
    i.on_team = make_user("insp_team", role=Role.INSPECTOR, unit=org.dept_b)
    i.off_team = make_user("insp_off", role=Role.INSPECTOR, unit=org.dept_b)
    return i


@pytest.fixture
def round_(supervised, org, people, inspectors):
    return round_create(
        actor=people.office,
        campaign=supervised,
        name="2018年第一轮专项督查",
        focus="rectify",
        starts_on=dt.date(2018, 10, 8),
        ends_on=dt.date(2018, 10, 12),
        team=[inspectors.on_team],
        units=[org.section_a1, org.section_b1],
    )


def gps_jpeg() -> bytes:
    """A small JPEG whose EXIF holds a GPS position (and a camera make, which must stay)."""
    image = Image.new("RGB", (16, 12), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 47.0, 0.0), 3: "E", 4: (119.0, 57.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()
