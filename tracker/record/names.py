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
    names, aliases = {}, defaultdict(list)
    rows = Person.objects.order_by("name", "pk", "aliases__alias").values_list("pk", "name", "aliases__alias")
    for pk, name, alias in rows:
        names[pk] = name
        if alias:
            aliases[pk].append(alias)
    return tuple(PersonNames(pk, name, tuple(aliases[pk])) for pk, name in names.items())


def mission_names() -> tuple[MissionName, ...]:
    return tuple(MissionName(pk, name) for pk, name in Mission.objects.values_list("pk", "name"))


def family_names() -> tuple[FamilyNames, ...]:
    """Every vehicle family in name order, with its craft (one query: the craft joined)."""
    names, craft = {}, defaultdict(list)
    rows = VehicleFamily.objects.order_by("name", "pk", "craft__name").values_list("pk", "name", "craft__name")
    for pk, name, craft_name in rows:
        names[pk] = name
        if craft_name:
            craft[pk].append(craft_name)
    return tuple(FamilyNames(pk, name, tuple(craft[pk])) for pk, name in names.items())
