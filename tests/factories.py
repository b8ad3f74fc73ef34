"""Factories for tests. Names are fictitious."""

import factory

from zuofeng.accounts.models import Role, RoleAssignment, User
from zuofeng.organisation.models import Person, Unit, UnitKind
from zuofeng.organisation.services import unit_save

PASSWORD = "Zuofeng#2018"


def make_unit(
    *, name: str, kind: str = UnitKind.DEPARTMENT, parent: Unit | None = None, order: int = 0, code: str = "", **extra
) -> Unit:
    unit = Unit(
        name=name, kind=kind, parent=parent, order=order, code=code or f"U{Unit.objects.count() + 1:05d}", **extra
    )
    return unit_save(actor=None, unit=unit, audit=False)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    position = "科员"
    phone = factory.Sequence(lambda n: f"139{n:08d}")


def make_user(
    username: str,
    *,
    role: str | None = None,
    unit: Unit | None = None,
    person_unit: Unit | None = None,
    include_subtree: bool = False,
) -> User:
    person = None
    if person_unit or unit:
        person = PersonFactory(unit=person_unit or unit, name=f"{username}姓名")
    user = User.objects.create_user(username=username, password=PASSWORD, person=person)
    if role:
        RoleAssignment.objects.create(user=user, role=role, unit=unit, include_subtree=include_subtree)
    return user


__all__ = ["PASSWORD", "PersonFactory", "Role", "make_unit", "make_user"]
