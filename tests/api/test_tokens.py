import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from zuofeng.accounts.models import ApiToken
from zuofeng.api.services import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from zuofeng.audit.models import AuditEntry


def test_api_token_create_for_self_audited(people):
    issued = api_token_create(actor=people.own_clerk, user=people.own_clerk, name=" 数据大屏 ")
    assert issued.raw.startswith("zf_")
    assert (issued.token.name, issued.token.user, issued.token.revoked) == ("数据大屏", people.own_clerk, False)
    entry = AuditEntry.objects.get(action="api_token.create")
    assert (entry.actor_username, entry.object_type) == ("clerk_a1", "accounts.user")
    assert entry.object_id == str(people.own_clerk.pk)
    assert entry.after == {
        "token": issued.token.pk,
        "name": "数据大屏",
        "prefix": issued.raw[:8],
        "expires_at": issued.token.expires_at.isoformat(),
    }
    assert issued.raw not in str(entry.after)


def test_api_token_create_by_sysadmin_for_other_forbidden(people):
    # A token acts as its owner: an administrator minting one for someone else could act as them.
    with pytest.raises(PermissionDenied):
        api_token_create(actor=people.sysadmin, user=people.office, name="对接")
    assert not ApiToken.objects.exists()


def test_api_token_create_for_other_user_forbidden(people):
    with pytest.raises(PermissionDenied):
        api_token_create(actor=people.office, user=people.own_clerk, name="越权")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "message"), [("  ", "请填写“用途”"), ("长" * 101, "“用途”不能超过 100 个字。")])
def test_api_token_create_bad_name(people, name, message):
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=people.office, user=people.office, name=name)
    assert error.value.message_dict["name"][0].startswith(message)


def test_api_token_create_inactive_user_refused(people):
    people.office.is_active = False
    people.office.save()
    with pytest.raises(ValidationError, match="已停用"):
        api_token_create(actor=None, user=people.office, name="脚本")


def test_api_token_create_limit_of_active_tokens(people):
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(actor=people.office, user=people.office, name=f"脚本{n}")
    with pytest.raises(ValidationError, match="最多保留 10 个"):
        api_token_create(actor=people.office, user=people.office, name="再来一个")
    api_token_revoke(actor=people.office, token=ApiToken.objects.first())
    api_token_create(actor=people.office, user=people.office, name="吊销后可再建")


def test_api_token_revoke_audited_and_idempotent(people):
    token = api_token_create(actor=people.office, user=people.office, name="脚本").token
    api_token_revoke(actor=people.office, token=token)
    api_token_revoke(actor=people.office, token=token)
    token.refresh_from_db()
    assert token.revoked is True
    entries = AuditEntry.objects.filter(action="api_token.revoke")
    assert entries.count() == 1
    assert entries.get().before == {"token": token.pk, "name": "脚本", "prefix": token.prefix, "revoked": False}


def test_api_token_revoke_other_users_token_forbidden(people):
    token = api_token_create(actor=people.office, user=people.office, name="脚本").token
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=people.own_clerk, token=token)


def test_command_prints_raw_token_once(people, capsys):
    call_command("api_token_create", "leader_a", "--name", "数据大屏")
    out, err = capsys.readouterr()
    raw = out.strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.token_hash) == (people.reviewer, "数据大屏", ApiToken.hash(raw))
    assert "已为账号“leader_a”创建令牌“数据大屏”" in err
    entry = AuditEntry.objects.get(action="api_token.create")
    assert (entry.actor_id, entry.object_id) == (None, str(people.reviewer.pk))
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me").json()["username"] == "leader_a"


def test_command_unknown_user(db):
    with pytest.raises(CommandError, match="账号“ghost”不存在"):
        call_command("api_token_create", "ghost", "--name", "x")


def test_command_blank_name(people):
    with pytest.raises(CommandError, match="请填写“用途”"):
        call_command("api_token_create", "office", "--name", " ")


# The token page


def test_token_page_requires_login(client, db):
    response = client.get("/api/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_token_page_lists_only_own_tokens(people, client_for):
    api_token_create(actor=people.office, user=people.office, name="作风办脚本")
    api_token_create(actor=people.own_clerk, user=people.own_clerk, name="科室脚本")
    html = client_for(people.own_clerk).get("/api/tokens/").content.decode()
    assert "科室脚本" in html
    assert "作风办脚本" not in html


def test_token_page_create_shows_raw_once(people, client_for):
    client = client_for(people.own_clerk)
    response = client.post("/api/tokens/", {"name": "数据大屏"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    issued = response.context["issued"]
    assert ApiToken.hash(issued.raw) == token.token_hash
    assert issued.raw in response.content.decode()
    assert issued.raw not in client.get("/api/tokens/").content.decode()


def test_token_page_blank_name_error_at_field(people, client_for):
    response = client_for(people.own_clerk).post("/api/tokens/", {"name": ""})
    assert response.status_code == 422
    assert response.context["form"].errors == {"name": ["请填写“用途”。"]}
    assert not ApiToken.objects.exists()


def test_token_page_limit_error_keeps_typed_name(people, client_for):
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(actor=people.office, user=people.office, name=f"脚本{n}")
    response = client_for(people.office).post("/api/tokens/", {"name": "第十一个"})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == ["每个账号最多保留 10 个有效令牌，请先吊销不用的令牌。"]
    assert 'value="第十一个"' in response.content.decode()


def test_token_page_revoke_own(people, client_for):
    token = api_token_create(actor=people.office, user=people.office, name="脚本").token
    response = client_for(people.office).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/api/tokens/"
    token.refresh_from_db()
    assert token.revoked is True


def test_token_page_revoke_someone_elses_is_404(people, client_for):
    token = api_token_create(actor=people.office, user=people.office, name="脚本").token
    response = client_for(people.own_clerk).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked is False


def test_token_page_revoke_needs_post(people, client_for):
    token = api_token_create(actor=people.office, user=people.office, name="脚本").token
    assert client_for(people.office).get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
