import pytest
from django.test import Client

from zuofeng.api.services import api_token_create


@pytest.fixture
def token_for():
    """A raw bearer token for `user`, made through the service as the user would."""

    def make(user, name: str = "测试脚本") -> str:
        return api_token_create(actor=user, user=user, name=name).raw

    return make


@pytest.fixture
def bearer_client(token_for):
    """An anonymous Client that sends the user's token on every request."""

    def make(user) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make
