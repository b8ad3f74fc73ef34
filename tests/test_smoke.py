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
