from zuofeng.accounts.models import Role
from zuofeng.accounts.roles import assignments, roles_of


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_roles": set(), "Role": Role, "nav": {}}
    held = roles_of(user)
    # Flags for the menu; what a person may actually do is still decided by permissions.may().
    nav = {role.name.lower(): role in held for role in Role}
    return {"my_roles": held, "my_assignments": assignments(user), "Role": Role, "nav": nav}
