"""/api/me: who the caller is and which roles they hold where."""

from ninja import Router

from zuofeng.accounts.roles import assignments
from zuofeng.api.schemas.accounts import MeOut
from zuofeng.api.schemas.common import with_errors

router = Router(tags=["账号"])


@router.get(
    "/me",
    response=with_errors(MeOut),
    summary="当前账号",
    description="当前登录账号（或令牌所属账号）的姓名与角色。",
)
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "name": user.display_name,
        "person_id": user.person_id,
        "roles": assignments(user),
    }
