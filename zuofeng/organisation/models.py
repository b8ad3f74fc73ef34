"""The organisation tree (单位) and the people (人员) who work in it.

A unit's `path` ("/1/7/42/") makes subtree queries one indexed prefix match; `sort_key`
(zero-padded sibling orders joined root to leaf) gives the official order of any list of
units without recursion. Both are kept by organisation.services, never by hand.
"""

from django.db import models
from django.db.models import Q

from zuofeng.core.models import TimeStampedModel
from zuofeng.core.pinyin import name_initials


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", "区级机关部门"
    TOWN = "town", "镇"
    STREET = "street", "街道"
    ZONE = "zone", "开发区"
    SECTION = "section", "内设科室"
    SUBORDINATE = "subordinate", "下属单位"


class UnitFunction(models.TextChoices):
    APPROVAL = "approval", "审批"
    SUPERVISION = "supervision", "监管"
    SERVICE = "service", "服务"


class Unit(TimeStampedModel):
    code = models.CharField("单位编码", max_length=32, unique=True)
    name = models.CharField("单位全称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类型", max_length=16, choices=UnitKind.choices)
    functions = models.JSONField("职能", default=list, blank=True, help_text="下属单位的审批、监管、服务职能")
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField("排序", default=0, help_text="同级单位中的先后次序（公文排序，不按拼音）")
    reviewer = models.ForeignKey(
        "self",
        verbose_name="审核单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reviewees",
        help_text="按干部管理权限另行指定的审核单位；留空则由上级单位审核",
    )
    is_active = models.BooleanField("启用", default=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_key"]
        constraints = [
            models.CheckConstraint(condition=~Q(reviewer=models.F("id")), name="unit_not_own_reviewer"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = name_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_initials"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name inside its tree (under its parent's heading): 办公室."""
        return self.short_name or self.name

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    @property
    def qualified_name(self) -> str:
        """The name out of its tree context, with its ancestors: 区教育局·办公室 (55 units are 办公室).

        Lists attach it for many units at once (organisation.selectors.units_qualify, one query);
        a single unit reads its ancestors here, also in one query.
        """
        cached = self.__dict__.get("_qualified_name")
        if cached is None:
            ancestors = Unit.objects.in_bulk(self.ancestor_ids) if self.ancestor_ids else {}
            chain = [ancestors[pk] for pk in self.ancestor_ids if pk in ancestors]
            cached = self.__dict__["_qualified_name"] = qualified_name([*chain, self])
        return cached

    @property
    def effective_reviewer_id(self) -> int | None:
        return self.reviewer_id or self.parent_id

    @property
    def in_scope(self) -> bool:
        """The seed puts subordinate units in scope only with approval/supervision/service functions."""
        if self.kind != UnitKind.SUBORDINATE:
            return True
        return bool(set(self.functions or []) & set(UnitFunction.values))

    def function_labels(self) -> list[str]:
        return [UnitFunction(f).label for f in self.functions or [] if f in UnitFunction.values]


NAME_SEPARATOR = "·"


def qualified_name(chain) -> str:
    """Display names joined top down; an ancestor is left out when the name below already begins with
    it (湖塘镇便民服务中心 under 湖塘镇 stays 湖塘镇便民服务中心)."""
    parts: list[str] = []
    for unit in chain:
        name = unit.display_name
        if parts and name.startswith(parts[-1]):
            parts.pop()
        parts.append(name)
    return NAME_SEPARATOR.join(parts)


class Gender(models.TextChoices):
    """GB/T 2261.1-2003 人的性别代码."""

    UNKNOWN = "0", "未知的性别"
    MALE = "1", "男"
    FEMALE = "2", "女"
    UNSPECIFIED = "9", "未说明的性别"


class Person(TimeStampedModel):
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices, default=Gender.UNSPECIFIED)
    position = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people")
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("在职", default=True)
    # "zs" for 张三: typeaheads match typed initials with one indexed prefix query. Kept by save();
    # bulk writes (demo_district) set it themselves.
    name_initials = models.CharField("姓名拼音首字母", max_length=20, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["unit__sort_key", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = name_initials(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_initials"}
        super().save(*args, **kwargs)
