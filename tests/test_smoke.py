def test_login_page_renders_in_chinese(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "作风效能专项活动管理平台" in response.content.decode()


def test_home_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_office_home_shows_office_card(people, client_for):
    response = client_for(people.office).get("/")
    assert response.status_code == 200
    assert "作风办" in response.content.decode()


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_csrf_failure_page_is_chinese(db, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.office)
    response = client.post("/accounts/password/", {"old_password": "x"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_auditor_home_shows_counts_not_entries(people, client_for):
    body = client_for(people.auditor).get("/").content.decode()
    assert "今天共记录操作" in body
