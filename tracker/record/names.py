"""The record's names: each person with their aliases, each mission, each vehicle family with
its craft, by primary key, in one query per kind.

Two readers build on them: the news extractor, which recognises these names in articles and
links each to its row (news/linked_names.py), and search, which finds the record by them
(search/searchable_record.py). Each takes what else it needs from its own read: the
extractor the flights, search the rows it shows (agency, status, dates, links)."""

from collections import defaultdict
from dataclasses import dataclass

from .models import Mission, Person, VehicleFamily


@dataclass(frozen=True)
class PersonNames:
    pk: int
    name: str  # the record's name: "Francisco Rubio"
    aliases: tuple[str, ...]  # other spellings, in alphabetical order: "Frank Rubio"


@dataclass(frozen=True)
class MissionName:
    pk: int
    name: str  # "Soyuz MS-22"


@dataclass(frozen=True)
class FamilyNames:
    pk: int
    name: str  # "Crew Dragon"
    craft: tuple[str, ...]  # its craft's own names, in alphabetical order: "Endeavour", "Endurance"


def people_names() -> tuple[PersonNames, ...]:
    """Everyone in name order, with their aliases (one query: the aliases joined)."""
    rows = Person.objects.order_by("name", "pk", "aliases__alias").values_list("pk", "name", "aliases__alias")
    return tuple(PersonNames(*row) for row in _each_with_its_own(rows))


def mission_names() -> tuple[MissionName, ...]:
    return tuple(MissionName(pk, name) for pk, name in Mission.objects.values_list("pk", "name"))


def family_names() -> tuple[FamilyNames, ...]:
    """Every vehicle family in name order, with its craft (one query: the craft joined)."""
    rows = VehicleFamily.objects.order_by("name", "pk", "craft__name").values_list("pk", "name", "craft__name")
    return tuple(FamilyNames(*row) for row in _each_with_its_own(rows))


def _each_with_its_own(rows):
    """(pk, name, joined name or None) rows of a one-to-many join, in order, as one
    (pk, name, (joined names…)) per pk."""
    names, own = {}, defaultdict(list)
    for pk, name, joined in rows:
        names[pk] = name
        if joined:
            own[pk].append(joined)
    return [(pk, name, tuple(own[pk])) for pk, name in names.items()]
