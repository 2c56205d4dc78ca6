"""What the extractor can recognise: the record's names and their other spellings, and each
mission's flight; plain values, no database (news/linked_names.py builds them from the record)."""

from dataclasses import dataclass
from functools import cached_property

from .missions import Flight
from .names import NameMatcher


@dataclass(frozen=True)
class Named:
    """One thing in the record."""

    name: str  # the record's name: "Soyuz MS-22", "Francisco Rubio", "Crew Dragon"
    aliases: tuple[str, ...] = ()  # other spellings: "Frank Rubio", "Анна Кикина", "Кикина"


@dataclass(frozen=True)
class KnownNames:
    """The names the extractor can recognise: missions ("Soyuz MS-22"), people, and vehicles:
    families ("Soyuz MS", "Crew Dragon") and craft named with their family ("Crew Dragon
    Endurance"); and the flights, to name the mission an article leaves unnamed.

    Build it once per version of the record: the matcher (one large regex) is compiled on
    first use and kept with these names, so each further article costs only the matching."""

    missions: tuple[Named, ...] = ()
    people: tuple[Named, ...] = ()
    vehicles: tuple[Named, ...] = ()
    flights: tuple[Flight, ...] = ()  # family, craft, crew and dates of each mission: see missions.py

    @cached_property
    def matcher(self) -> NameMatcher:
        # cached_property writes the instance __dict__ directly, so it works on a frozen
        # dataclass; equality and hashing still look at the three fields only.
        return NameMatcher(self.missions, self.people, self.vehicles)
