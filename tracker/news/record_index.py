"""The record as the extractor sees it: names and the other spellings of missions,
people and vehicles. Built once per record version and reused for every article."""

import threading
from dataclasses import dataclass

from tracker.record.models import Mission, Person, Seat, Spacecraft, VehicleFamily
from tracker.record.version import record_version

from .extraction import Named, RecordIndex
from .extraction.missions import Flight


@dataclass(frozen=True)
class IndexedRecord:
    index: RecordIndex
    missions: dict[str, int]  # record name -> pk
    people: dict[str, int]
    vehicles: dict[str, int]  # family or craft name -> family pk


_lock = threading.Lock()
_cached: dict[str, IndexedRecord] = {}


def build_record_index() -> IndexedRecord:
    missions = dict(Mission.objects.values_list("name", "pk"))
    people = {}
    aliases: dict[int, list[str]] = {}
    for pk, name, alias in Person.objects.values_list("pk", "name", "aliases__alias"):
        people[name] = pk
        if alias:
            aliases.setdefault(pk, []).append(alias)
    vehicles = dict(VehicleFamily.objects.values_list("name", "pk"))
    for family_pk, family_name, craft_name in Spacecraft.objects.values_list("family_id", "family__name", "name"):
        vehicles[f"{family_name} {craft_name}"] = family_pk
    index = RecordIndex(
        missions=tuple(Named(name) for name in missions),
        people=tuple(Named(name, tuple(aliases.get(pk, ()))) for name, pk in people.items()),
        vehicles=tuple(Named(name) for name in vehicles),
        flights=_flights(),
    )
    return IndexedRecord(index=index, missions=missions, people=people, vehicles=vehicles)


def _flights() -> tuple[Flight, ...]:
    """Each mission's family, craft, crew and days, for naming the mission an article leaves unnamed."""
    crews: dict[int, set[str]] = {}
    for mission_pk, person in Seat.objects.values_list("mission_id", "person__name"):
        crews.setdefault(mission_pk, set()).add(person)
    rows = Mission.objects.values_list("pk", "name", "family__name", "spacecraft__name", "launch_at", "landing_at")
    return tuple(
        Flight(
            name=name,
            family=family,
            craft=f"{family} {craft}" if craft else None,
            crew=frozenset(crews.get(pk, ())),
            launch=launch.date() if launch else None,
            landing=landing.date() if landing else None,
        )
        for pk, name, family, craft, launch, landing in rows
    )


def current_record_index() -> IndexedRecord:
    """The index for the record as it is now; rebuilt only after the record changed."""
    version = record_version()
    with _lock:
        if version not in _cached:
            _cached.clear()
            _cached[version] = build_record_index()
        return _cached[version]
