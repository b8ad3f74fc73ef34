"""下次登录须修改密码 holds on every request — pages, htmx and the API — until the password is changed."""

import pytest
from django.test import Client

from tests.factories import PASSWORD
from zuofeng.api.services import api_token_create

MESSAGE = "您的密码须先修改：请在平台“修改密码”页面设置新密码后再继续使用。"


@pytest.fixture
def owing(people):
    """The office account after an administrator's reset, still logged in (a session made before)."""
    people.office.must_change_password = True
    people.office.save(update_fields=["must_change_password"])
    return people.office


@pytest.mark.parametrize("url", ["/", "/campaigns/", "/api/tokens/", "/rectification/ledgers/"])
def test_pages_redirect_to_the_change_form(owing, client_for, url):
    response = client_for(owing).get(url)
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/")


def test_posts_are_refused_too(owing, client_for):
    response = client_for(owing).post("/api/tokens/", {"name": "脚本"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/password/")


def test_htmx_gets_hx_redirect(owing, client_for):
    response = client_for(owing).get("/", headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, "/accounts/password/")


def test_api_session_gets_403_in_the_error_schema(owing, client_for):
    response = client_for(owing).get("/api/me")
    assert response.status_code == 403
    assert response.json() == {"detail": MESSAGE}


def test_api_token_gets_403_in_the_error_schema(people, owing):
    raw = api_token_create(actor=None, user=people.office, name="脚本").raw
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me")
    assert response.status_code == 403
    assert response.json() == {"detail": MESSAGE}


def test_change_form_and_logout_stay_open(owing, client_for):
    client = client_for(owing)
    assert client.get("/accounts/password/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302


def test_after_the_change_everything_opens_again(owing, client_for):
    client = client_for(owing)
    new = "Xin#Mima01"
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    owing.refresh_from_db()
    assert owing.must_change_password is False
    assert client.get("/").status_code == 200
    assert client.get("/api/me").status_code == 200


def test_page_message_says_why(owing, client_for):
    response = client_for(owing).get("/campaigns/", follow=True)
    assert MESSAGE in response.content.decode()
