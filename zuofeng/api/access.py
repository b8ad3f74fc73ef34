from ninja.errors import AuthorizationError

from zuofeng.accounts.permissions import may

FORBIDDEN = "您的角色无权访问此项内容。"


def require(user, action: str) -> None:
    """Role-level check before any lookup, so a 403 never depends on which row was asked for."""
    if not may(user, action):
        raise AuthorizationError(message=FORBIDDEN)
