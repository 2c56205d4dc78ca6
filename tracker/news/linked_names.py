"""The record as news ingestion sees it: the names the extractor can recognise (built from
record/names.py, plus each mission's flight) and the row each name links to. Built once per
record version and reused for every article."""

from dataclasses import dataclass

from tracker.record.models import Mission, Seat
from tracker.record.names import family_names, mission_names, people_names
from tracker.record.version import per_record_version

from .extraction import KnownNames, Named
from .extraction.missions import Flight


@dataclass(frozen=True)
class LinkedNames:
    """What the extractor can recognise, and the primary key each recognised name links to."""

    known: KnownNames
    missions: dict[str, int]  # record name -> pk
    people: dict[str, int]
    vehicles: dict[str, int]  # family or craft name -> family pk


def build_linked_names() -> LinkedNames:
    missions = {mission.name: mission.pk for mission in mission_names()}
    people = people_names()
    families = family_names()
    vehicles = {family.name: family.pk for family in families}
    # A craft goes by its family's name too: "Crew Dragon Endurance", as the press writes it.
    vehicles |= {f"{family.name} {craft}": family.pk for family in families for craft in family.craft}
    known = KnownNames(
        missions=tuple(Named(name) for name in missions),
        people=tuple(Named(person.name, person.aliases) for person in people),
        vehicles=tuple(Named(name) for name in vehicles),
        flights=_flights(),
    )
    return LinkedNames(
        known=known, missions=missions, people={person.name: person.pk for person in people}, vehicles=vehicles
    )


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


@per_record_version
def current_linked_names() -> LinkedNames:
    """The names for the record as it is now; rebuilt only after the record changed."""
    return build_linked_names()
