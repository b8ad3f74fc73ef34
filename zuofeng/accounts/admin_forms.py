"""Forms for account administration by the system administrator (系统管理员)."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from zuofeng.accounts.models import SEPARATED_ADMIN_ROLES, AccountOperation, Role
from zuofeng.organisation.forms import UnitChoiceField, unit_choices
from zuofeng.organisation.models import Person


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class _NewPasswordForm(forms.Form):
    """Two password boxes that must match; the policy itself is checked by the service."""

    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class UserCreateForm(_NewPasswordForm):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@-]+$",
        error_messages={"invalid": "用户名只能由字母、数字和 _ . @ - 组成。"},
    )
    person = PersonChoiceField(
        label="对应人员",
        required=False,
        queryset=Person.objects.none(),
        empty_label="（不对应人员，如三员账号）",
        help_text="一人只能有一个账号；列表中只有尚无账号的在职人员",
    )
    full_name = forms.CharField(label="显示名称", required=False, max_length=150, help_text="不对应人员时显示的名称")
    field_order = ["username", "person", "full_name", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.filter(account__isnull=True, is_active=True)
            .select_related("unit")
            .order_by("unit__sort_key", "order", "id")
        )


class PasswordResetForm(_NewPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "新密码"


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = UnitChoiceField(
        label="单位",
        required=False,
        queryset=unit_choices(),
        empty_label="（全区）",
        help_text="单位管理员/分管领导、科室填报员必须指定单位；作风办、督查员、评审专家留空表示全区",
    )
    include_subtree = forms.BooleanField(label="含下级单位", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices()


class AdminChangeForm(forms.Form):
    """A 三员变更申请 filed from its own page (for example by 安全管理员, who has no account pages)."""

    username = forms.CharField(label="账号（用户名）", max_length=150)
    operation = forms.ChoiceField(label="变更", choices=AccountOperation.choices)
    role = forms.ChoiceField(
        label="角色",
        required=False,
        choices=[("", "（授予或移除角色时选择）"), *[(r, Role(r).label) for r in sorted(SEPARATED_ADMIN_ROLES)]],
    )
    password1 = forms.CharField(
        label="新密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="重置密码时填写；批准后生效，账号持有人下次登录须修改。",
    )
    password2 = forms.CharField(
        label="确认新密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    reason = forms.CharField(label="理由", max_length=200, error_messages={"required": "请填写申请理由。"})

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data
