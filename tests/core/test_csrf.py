"""The page's CSRF token is masked as Django masks it (core/csrf.py): Django's middleware accepts it."""

import re

from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import Client, RequestFactory

from zuofeng.core.csrf import _mask, csrf_token_masked

SECRET = "abcdefghijABCDEFGHIJ0123456789xy"


def _request(secret: str | None):
    request = RequestFactory().get("/")
    if secret is not None:
        request.META["CSRF_COOKIE"] = secret
    return request


def test_the_token_is_a_mask_and_the_secret_shifted_by_it_as_djangos():
    request = _request(SECRET)
    token = csrf_token_masked(request)
    assert len(token) == 64
    assert set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # the cookie's expiry renewed, as get_token does


def test_every_token_has_a_fresh_mask():
    tokens = {csrf_token_masked(_request(SECRET)) for _ in range(200)}
    assert len(tokens) == 200
    assert {_unmask_cipher_token(token) for token in tokens} == {SECRET}


def test_every_character_can_be_drawn_and_only_allowed_ones():
    drawn = [offset for _ in range(300) for offset in _mask()]
    assert len(drawn) == 300 * 32
    assert set(drawn) == set(range(62))


def test_without_a_secret_or_with_a_malformed_one_djangos_get_token_makes_one():
    request = _request(None)
    token = csrf_token_masked(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and _unmask_cipher_token(token) == secret
    for bad in ("short",):  # never stored by the middleware; if it were, Django's answer stands
        request = _request(bad)
        assert len(csrf_token_masked(request)) == 32 + len(bad)


def test_a_form_sent_with_the_pages_token_is_accepted_and_one_without_refused(people, password):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page)[1]
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
    assert client.post("/accounts/login/", {"username": "clerk_a1", "password": "x"}).status_code == 403
    sent = client.post("/accounts/login/", {"username": "clerk_a1", "password": password, "csrfmiddlewaretoken": token})
    assert sent.status_code == 302
    home = client.get("/").content.decode()
    header_token = re.search(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', home)[1]
    assert header_token != token
    assert client.post("/accounts/logout/", HTTP_X_CSRFTOKEN=header_token).status_code == 302
