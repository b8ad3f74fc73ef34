"""`manage.py demo_district`: load the demo district (units, fictitious people, one login per role).

Idempotent: units are matched by code, people by their (fictitious, unique) phone number,
accounts by username; a second run changes nothing and writes no audit entry.
"""

import random
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand
from django.db import transaction

from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.audit.services import audit_record
from zuofeng.core.pinyin import name_initials
from zuofeng.organisation import demo_data as data
from zuofeng.organisation.models import Gender, Person, Unit, UnitKind
from zuofeng.organisation.services import ORDER_WIDTH

UNIT_ATTRS = ["name", "short_name", "kind", "functions", "order"]
PERSON_ATTRS = ["name", "gender", "position", "order", "is_active"]
GRASSROOTS_HEADS = {
    "town": ["党委书记", "镇长", "副镇长", "副镇长"],
    "street": ["党工委书记", "主任", "副主任"],
    "zone": ["党工委书记", "管委会主任", "副主任"],
}
# the title of a unit's head follows the last characters of its name
HEAD_BY_SUFFIX = [
    ("分局", "局长"), ("大队", "大队长"), ("所", "所长"), ("站", "站长"), ("馆", "馆长"), ("台", "台长"),
    ("处", "处长"), ("庭", "庭长"), ("局", "局长"), ("部", "部长"), ("室", "主任"), ("中心", "主任"),
    ("厅", "主任"), ("科", "科长"),
]  # fmt: skip


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    order: int
    parent: str | None = None
    short_name: str = ""
    functions: list[str] = field(default_factory=list)
    head: str = ""


def head_title(name: str) -> str:
    return next((title for suffix, title in HEAD_BY_SUFFIX if name.endswith(suffix)), "主任")


def unit_specs() -> list[UnitSpec]:
    """The whole tree, parents before children, in official order."""
    specs: list[UnitSpec] = []

    def children(parent: UnitSpec, sections: list[str], subordinates) -> None:
        for n, name in enumerate(sections, start=1):
            specs.append(UnitSpec(f"{parent.code}S{n:02d}", name, UnitKind.SECTION, n, parent.code))
        for n, (name, functions) in enumerate(subordinates, start=1):
            code = f"{parent.code}X{n:02d}"
            specs.append(UnitSpec(code, name, UnitKind.SUBORDINATE, len(sections) + n, parent.code, "", functions))

    short, full, head, sections = data.OFFICE_UNIT
    office = UnitSpec(data.OFFICE_CODE, full, UnitKind.DEPARTMENT, 1, short_name=short, head=head)
    specs.append(office)
    children(office, sections, [])
    tops = []  # (recipient group, position in its list, spec, sections, subordinates)
    for n, (name, kind) in enumerate(data.GRASSROOTS, start=1):
        sections = {"town": data.TOWN_SECTIONS, "street": data.STREET_SECTIONS}.get(kind, data.ZONE_SECTIONS)
        centre = "企业服务中心" if kind == "zone" else data.SERVICE_CENTRE[0]
        spec = UnitSpec(f"G{n:02d}", name, kind, 0)
        tops.append((data.GRASSROOTS_GROUP[kind], n, spec, sections, [(f"{name}{centre}", data.SERVICE_CENTRE[1])]))
    for n, (short, full, head, sections, subordinates) in enumerate(data.DEPARTMENTS, start=1):
        spec = UnitSpec(f"D{n:02d}", full, UnitKind.DEPARTMENT, 0, short_name=short, head=head)
        tops.append((data.DEPARTMENT_GROUP.get(short, data.OTHER_DEPARTMENTS), n, spec, sections, subordinates))
    # codes keep list positions; the order follows the 主送 line (office first)
    for order, (_, _, spec, sections, subordinates) in enumerate(sorted(tops, key=lambda t: t[:2]), start=2):
        spec.order = order
        specs.append(spec)
        children(spec, sections, subordinates)
    return specs


def _name(rng: random.Random) -> tuple[str, str]:
    gender = rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE])
    chars = data.MALE_CHARS if gender == Gender.MALE else data.FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(data.SURNAMES) + given, gender


def people_specs(specs: list[UnitSpec]) -> list[dict]:
    """Fictitious staff for every unit; names depend only on the unit code, so they are stable."""
    people: list[dict] = []
    for spec in specs:
        rng = random.Random(spec.code)  # noqa: S311 - demo names, not secrets
        if spec.kind in GRASSROOTS_HEADS:
            positions = GRASSROOTS_HEADS[spec.kind]
        elif spec.kind == UnitKind.DEPARTMENT:
            positions = [spec.head, f"副{spec.head}"] + ([f"副{spec.head}"] if spec.parent is None else [])
        else:
            head = head_title(spec.name)
            staff = "科员" if spec.kind == UnitKind.SECTION else "工作人员"
            positions = [head] + ([f"副{head}"] if rng.random() < 0.5 else []) + [staff] * rng.randint(1, 3)
        for order, position in enumerate(positions, start=1):
            name, gender = _name(rng)
            phone = f"1390000{len(people):04d}"
            people.append({"unit": spec.code, "name": name, "gender": gender, "position": position, "order": order,
                           "phone": phone, "is_active": True})  # fmt: skip
    return people


class Command(BaseCommand):
    help = "导入演示区（仿武进区）的单位、虚构人员和各角色演示账号；重复运行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--accounts", action="store_true", help="只打印演示账号，不写数据库")

    def handle(self, *args, accounts=False, **options):
        if not accounts:
            with transaction.atomic():
                counts = load_demo_district()
            changed = {k: v for k, v in counts.items() if v}
            if changed:
                self.stdout.write("已写入：" + "，".join(f"{k} {v}" for k, v in changed.items()))
            else:
                self.stdout.write("演示数据已是最新，未作修改。")
        self.stdout.write(accounts_table())


def accounts_table() -> str:
    rows = [("角色", "用户名", "密码", "范围")]
    rows += [(Role(a.role).label, a.username, data.DEMO_PASSWORD, a.where) for a in data.demo_accounts()]
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = ["演示账号："]
    for row in rows:
        lines.append("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def load_demo_district() -> dict[str, int]:
    specs = unit_specs()
    counts = {"新增单位": 0, "更新单位": 0, "新增人员": 0, "更新人员": 0, "新增账号": 0, "更新账号": 0}
    units = _load_units(specs, counts)
    people = _load_people(people_specs(specs), units, counts)
    _load_accounts(units, people, counts)
    if any(counts.values()):
        audit_record(actor=None, action="organisation.demo_district", after=counts, detail="导入演示区数据")
    return counts


def _load_units(specs: list[UnitSpec], counts: dict[str, int]) -> dict[str, Unit]:
    existing = {u.code: u for u in Unit.objects.filter(code__in=[s.code for s in specs])}
    units: dict[str, Unit] = {}
    depth_of: dict[str, int] = {}
    for spec in specs:
        depth_of[spec.code] = depth_of[spec.parent] + 1 if spec.parent else 0
    for depth in sorted(set(depth_of.values())):
        level = [s for s in specs if depth_of[s.code] == depth]
        new, changed = [], []
        parents: dict[str, Unit | None] = {}
        for spec in level:
            parent = units[spec.parent] if spec.parent else None
            unit = existing.get(spec.code) or Unit(code=spec.code)
            wanted = {a: getattr(spec, a) for a in UNIT_ATTRS}
            wanted["parent_id"] = parent.pk if parent else None
            wanted["depth"] = depth
            own = str(spec.order).zfill(ORDER_WIDTH)
            wanted["sort_key"] = f"{parent.sort_key}.{own}" if parent else own
            if unit.pk:
                wanted["path"] = f"{parent.path if parent else '/'}{unit.pk}/"
                if any(getattr(unit, k) != v for k, v in wanted.items()):
                    changed.append(unit)
            else:
                new.append(unit)
                parents[spec.code] = parent
            for k, v in wanted.items():
                setattr(unit, k, v)
            units[spec.code] = unit
        if new:
            Unit.objects.bulk_create(new)  # both supported databases return the new ids
            for u in new:
                parent = parents[u.code]
                u.path = f"{parent.path if parent else '/'}{u.pk}/"
            Unit.objects.bulk_update(new, ["path"])
        if changed:
            Unit.objects.bulk_update(changed, [*UNIT_ATTRS, "parent", "depth", "sort_key", "path"])
        counts["新增单位"] += len(new)
        counts["更新单位"] += len(changed)
    return units


def _load_people(specs: list[dict], units: dict[str, Unit], counts: dict[str, int]) -> dict[tuple, Person]:
    existing = {p.phone: p for p in Person.objects.filter(phone__in=[s["phone"] for s in specs])}
    new, changed, result = [], [], {}
    for spec in specs:
        person = existing.get(spec["phone"]) or Person(phone=spec["phone"])
        wanted = {a: spec[a] for a in PERSON_ATTRS}
        wanted["unit_id"] = units[spec["unit"]].pk
        if person.pk is None:
            new.append(person)
        elif any(getattr(person, k) != v for k, v in wanted.items()):
            changed.append(person)
        for k, v in wanted.items():
            setattr(person, k, v)
        person.name_initials = name_initials(person.name)  # bulk writes skip Person.save()
        result.setdefault((spec["unit"], spec["position"]), person)
    Person.objects.bulk_create(new)
    Person.objects.bulk_update(changed, [*PERSON_ATTRS, "unit", "name_initials"])
    counts["新增人员"] += len(new)
    counts["更新人员"] += len(changed)
    return result


def _load_accounts(units: dict[str, Unit], people: dict[tuple, Person], counts: dict[str, int]) -> None:
    for account in data.demo_accounts():
        person = people[(account.person_unit, account.person_position)] if account.person_unit else None
        user = User.objects.filter(username=account.username).first()
        wanted = {
            "person_id": person.pk if person else None,
            "first_name": account.display,
            "is_active": True,
            "must_change_password": False,
        }
        if user is None:
            user = User(username=account.username, **wanted)
            user.set_password(data.DEMO_PASSWORD)
            user.save()
            counts["新增账号"] += 1
            counted = True
        else:
            counted = False
            if any(getattr(user, k) != v for k, v in wanted.items()) or not user.check_password(data.DEMO_PASSWORD):
                for k, v in wanted.items():
                    setattr(user, k, v)
                user.set_password(data.DEMO_PASSWORD)
                user.save()
                counts["更新账号"] += 1
                counted = True
        unit = units[account.role_unit] if account.role_unit else None
        _, created = RoleAssignment.objects.get_or_create(user=user, role=account.role, unit=unit)
        if created and not counted:
            counts["更新账号"] += 1
