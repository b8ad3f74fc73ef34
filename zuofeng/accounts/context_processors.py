from zuofeng.accounts.models import Role
from zuofeng.accounts.roles import assignments, roles_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": set(), "Role": Role}
    return {"my_roles": roles_of(user), "my_assignments": assignments(user), "Role": Role}
