"""佐证材料 of an initiative after it is recorded: uploaded on its page or through the API with the same checks
(type opened, not sniffed; size; count), listed and downloaded by whoever may read the initiative."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import login
from tests.upload_files import pdf_bytes
from zuofeng.audit.models import AuditEntry
from zuofeng.core import clock
from zuofeng.projects.models import Initiative, ProjectEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(campaign, org):
    return Initiative.objects.create(
        campaign=campaign, unit=org.section_a1, title="预算编制“一表通”", problem="报表多", description="合并报表",
        steps_before=5, steps_after=2, materials_before=9, materials_after=3, days_before=Decimal("10"),
        days_after=Decimal("4"), started_on=dt.date(2018, 9, 1),
    )  # fmt: skip


def _pdf(name="方案.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_the_clerk_uploads_through_the_api_and_readers_list_and_download(initiative, people):
    url = f"/api/initiatives/{initiative.pk}/evidence"
    made = login(people.own_clerk).post(url, {"files": [_pdf(), _pdf("照片说明.pdf")]})
    assert made.status_code == 200
    assert [(row["original_name"], row["content_type"]) for row in made.json()] == [
        ("方案.pdf", "application/pdf"),
        ("照片说明.pdf", "application/pdf"),
    ]
    first = made.json()[0]
    assert first["download"] == f"{url}/{first['id']}"
    listed = login(people.reviewer).get(url)
    assert [row["id"] for row in listed.json()] == [row["id"] for row in made.json()]
    download = login(people.reviewer).get(first["download"])
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert AuditEntry.objects.filter(action="initiative.evidence_add").count() == 1


def test_bad_files_are_refused_in_chinese_at_the_field(initiative, people):
    url = f"/api/initiatives/{initiative.pk}/evidence"
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = login(people.own_clerk).post(url, {"files": [fake]})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["files"]
    assert "病毒.pdf" in refused.json()["errors"]["files"][0]
    empty = login(people.own_clerk).post(url, {})
    assert (empty.status_code, empty.json()["errors"]) == (400, {"files": ["请选择要上传的佐证材料。"]})
    assert ProjectEvidence.objects.count() == 0


# Reading follows the initiative (its unit's tree and the office; a promoted one every business viewer);
# uploading is the unit's own editors'.
READ = {"own_clerk": 200, "reviewer": 200, "office": 200, "sibling_clerk": 404, "other_leader": 404, "judge": 404,
        "sysadmin": 403}  # fmt: skip
UPLOAD = {"own_clerk": 200, "reviewer": 403, "office": 403, "sibling_clerk": 404, "other_leader": 404, "judge": 403,
          "sysadmin": 403}  # fmt: skip


@pytest.mark.parametrize("who", sorted(READ))
def test_who_reads_and_who_uploads_through_the_api(initiative, people, who):
    row = ProjectEvidence.objects.create(
        initiative=initiative, original_name="a.pdf", content_type="application/pdf", size=1, sha256="0" * 64
    )
    client = login(getattr(people, who))
    url = f"/api/initiatives/{initiative.pk}/evidence"
    assert client.get(url).status_code == READ[who]
    # The row has no file behind it: a reader gets 404 as for a missing file, the others what they get above.
    assert client.get(f"{url}/{row.pk}").status_code == (403 if READ[who] == 403 else 404)
    assert client.post(url, {"files": [_pdf()]}).status_code == UPLOAD[who]


def test_a_promoted_initiative_is_read_by_other_units_but_not_uploaded_to(initiative, people):
    Initiative.objects.filter(pk=initiative.pk).update(promoted_at=clock.now())
    client = login(people.other_leader)
    url = f"/api/initiatives/{initiative.pk}/evidence"
    assert client.get(url).status_code == 200
    assert client.post(url, {"files": [_pdf()]}).status_code == 403


def test_the_page_uploads_and_shows_errors_at_the_field(initiative, people):
    page = f"/projects/initiatives/{initiative.pk}/"
    client = login(people.own_clerk)
    assert "上传佐证材料" in client.get(page).content.decode()
    assert "上传佐证材料" not in login(people.reviewer).get(page).content.decode()
    bad = client.post(f"{page}evidence/", {})
    assert bad.status_code == 400
    assert bad.context["evidence_form"].errors == {"files": ["请选择要上传的佐证材料。"]}
    done = client.post(f"{page}evidence/", {"files": [_pdf()]})
    assert (done.status_code, done["Location"]) == (302, page)
    assert "方案.pdf" in client.get(page).content.decode()
    assert login(people.reviewer).post(f"{page}evidence/", {"files": [_pdf()]}).status_code == 403
    assert login(people.other_leader).post(f"{page}evidence/", {"files": [_pdf()]}).status_code == 404
