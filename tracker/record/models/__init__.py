"""The flight record: who flew, on what, when, and under which agreement."""

from .agreement import Agreement, AgreementDocument, DocumentKind
from .citation import Citation
from .missions import EVENTS, TARGETS, Certainty, Mission, MissionQuerySet, MissionStatus
from .people import Agency, Person, PersonAlias
from .seats import Leg, Role, Seat, SeatQuerySet
from .vehicles import Spacecraft, VehicleFamily

__all__ = [
    "EVENTS",
    "TARGETS",
    "Certainty",
    "Agency",
    "Agreement",
    "AgreementDocument",
    "Citation",
    "DocumentKind",
    "Leg",
    "Mission",
    "MissionQuerySet",
    "MissionStatus",
    "Person",
    "PersonAlias",
    "Role",
    "Seat",
    "SeatQuerySet",
    "Spacecraft",
    "VehicleFamily",
]
