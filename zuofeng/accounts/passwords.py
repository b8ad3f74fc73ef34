"""Password rules: the security policy (≥ 8 characters, three character classes, not the username),
no common password from the shipped list, no repeat of the last RECENT_PASSWORDS passwords."""

import functools
import string
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common_passwords.txt"
RECENT_PASSWORDS = 5

CLASSES = (
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("数字", lambda c: c in string.digits),
    ("特殊字符", lambda c: not c.isalnum()),
)


def character_classes(password: str) -> int:
    return sum(1 for _, test in CLASSES if any(test(c) for c in password))


class PolicyPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        from zuofeng.accounts.models import SecurityPolicy

        policy = SecurityPolicy.current()
        errors = []
        if len(password) < policy.min_password_length:
            errors.append(ValidationError(f"密码至少 {policy.min_password_length} 位", code="password_too_short"))
        if character_classes(password) < policy.min_character_classes:
            errors.append(
                ValidationError(
                    f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {policy.min_character_classes} 种",
                    code="password_too_simple",
                )
            )
        username = getattr(user, "username", "") or ""
        if username and username.lower() in password.lower():
            errors.append(ValidationError("密码不能包含用户名", code="password_contains_username"))
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return "至少 8 位，包含大写字母、小写字母、数字、特殊字符中的至少 3 种，且不能包含用户名。"


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def demo_mode() -> bool:
    """The demo (make run, DEBUG) lets its published accounts keep the published password."""
    return bool(getattr(settings, "ZUOFENG_DEMO", False))


class CommonPasswordValidator:
    """Refuses the passwords in data/common_passwords.txt, the demo password included, in any case."""

    def validate(self, password: str, user=None) -> None:
        if is_common(password):
            raise ValidationError("该密码属于常见弱口令（或公开的演示密码），请换一个。", code="password_too_common")

    def get_help_text(self) -> str:
        return "不能使用常见弱口令或公开的演示密码。"


class RecentPasswordValidator:
    """Refuses the account's last RECENT_PASSWORDS passwords; records each new one when it is saved."""

    def validate(self, password: str, user=None) -> None:
        current = [user.password] if getattr(user, "password", "") else []
        for old in dict.fromkeys([*current, *recent_password_hashes(user)]):
            if check_password(password, old):
                raise ValidationError(
                    f"新密码不能与最近 {RECENT_PASSWORDS} 次使用过的密码相同。", code="password_reused"
                )

    def password_changed(self, password: str, user=None) -> None:
        # Django calls this after User.save() whenever set_password() changed the password.
        if user is not None and user.pk:
            password_history_record(user=user)

    def get_help_text(self) -> str:
        return f"不能与最近 {RECENT_PASSWORDS} 次使用过的密码相同。"


def recent_password_hashes(user) -> list[str]:
    from zuofeng.accounts.models import PasswordHistory

    if user is None or not user.pk:
        return []
    return list(
        PasswordHistory.objects.filter(user=user)
        .order_by("-id")
        .values_list("password_hash", flat=True)[:RECENT_PASSWORDS]
    )


def password_history_record(*, user) -> None:
    """Keep the hash of the password just set, and only the last RECENT_PASSWORDS of them."""
    from zuofeng.accounts.models import PasswordHistory

    PasswordHistory.objects.create(user=user, password_hash=user.password)
    keep = PasswordHistory.objects.filter(user=user).order_by("-id").values_list("id", flat=True)[:RECENT_PASSWORDS]
    PasswordHistory.objects.filter(user=user).exclude(id__in=list(keep)).delete()
