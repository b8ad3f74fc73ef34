"""Password rules from the security policy (≥ 8 characters, three character classes, not the username)."""

import string

from django.core.exceptions import ValidationError

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
