"""Load the sourced reference record (reference/*.json) into the database.

Idempotent, and an editor's work wins: every row the loader writes is saved with the
history change reason REFERENCE_REASON. On a later run a row is only updated while its
latest history entry is still the loader's; a row an editor changed, renamed or deleted
since is left as the editor left it. A second run with unchanged files writes nothing.
Any invalid row aborts the whole load (one transaction) with a message naming it.
"""

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from tracker.lib.fuzzy_dates import parse_partial_date

from .models import (
    EVENTS,
    Agency,
    Agreement,
    AgreementDocument,
    Certainty,
    Citation,
    Leg,
    Mission,
    MissionStatus,
    Person,
    PersonAlias,
    Role,
    Seat,
    Spacecraft,
    VehicleFamily,
)

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REFERENCE_REASON = "reference data"

STATUSES = {"completed": MissionStatus.LANDED, "in_flight": MissionStatus.IN_FLIGHT, "planned": MissionStatus.PLANNED}
ROLES = {None: "", **{label: value for value, label in Role.choices}}
# "Francisco (Frank) Rubio", "Warren 'Woody' Hoburg": canonical name plus a nickname.
NICKNAME = re.compile(r"""^(?P<first>\S+)\s+(?:\((?P<p>[^)]+)\)|'(?P<q>[^']+)')\s+(?P<last>.+)$""")


def russian_name(aliases: list[str]) -> str:
    """The name Russian readers see, when catalog.json does not give one (`name_ru`): the
    first full name (two words or more) written in Cyrillic among the person's aliases."""
    for alias in aliases:
        if " " in alias.strip() and any("\u0400" <= letter <= "\u04ff" for letter in alias):
            return alias
    return ""


class ReferenceDataError(Exception):
    """The reference files cannot be loaded; nothing was changed."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    linked: Counter = field(default_factory=Counter)
    kept: list[str] = field(default_factory=list)

    def summary(self) -> str:
        models_seen = sorted(set(self.created) | set(self.updated))
        parts = [f"{name}: {self.created[name]} created, {self.updated[name]} updated" for name in models_seen]
        parts += [f"{count} {relation} links added" for relation, count in sorted(self.linked.items())]
        lines = ["; ".join(parts) or "nothing to change: the record already matches the reference data"]
        lines += [f"kept editor's version of {item}" for item in self.kept]
        return "\n".join(lines)


def split_nickname(name: str) -> tuple[str, list[str]]:
    """'Francisco (Frank) Rubio' -> ('Francisco Rubio', ['Frank Rubio'])."""
    match = NICKNAME.match(name.strip())
    if not match:
        return name.strip(), []
    nickname = match["p"] or match["q"]
    return f"{match['first']} {match['last']}", [f"{nickname} {match['last']}"]


def partial_date(text: str | None) -> tuple[dt.datetime | None, str]:
    return parse_partial_date(text) if text else (None, "")


def planned_targets(name: str, planned: dict) -> dict:
    """Mission field values for a flight's `planned` object: each announced target as the
    event's time, its precision and its certainty (a target, or "no earlier than").

    The caller refuses a target for an event with a `*_date`: that field holds what
    happened, and an event that happened has no target left."""
    values = {}
    for event in EVENTS:
        if not planned.get(event):
            continue
        where = f"{name}: planned.{event}"
        try:
            instant, precision = parse_partial_date(planned[event])
        except ValueError as exc:
            raise ReferenceDataError(f"{where}: {exc}") from None
        stated = planned.get(f"{event}_precision", precision)
        if stated != precision:
            raise ReferenceDataError(
                f"{where}: {planned[event]!r} is a date to the {precision}, but {event}_precision says {stated!r}."
            )
        net = planned.get("no_earlier_than", False)
        values.update(
            {
                f"{event}_at": instant,
                f"{event}_precision": precision,
                f"{event}_certainty": Certainty.NO_EARLIER_THAN if net else Certainty.TARGET,
            }
        )
    return values


class RecordSnapshot:
    """The record's rows and who last saved each, read once per model (a few queries for the
    whole load instead of three per row: a load runs at every start of the product).

    A row is the loader's while its latest history entry is the loader's own save."""

    def __init__(self):
        self._rows: dict[tuple, dict[tuple, models.Model]] = {}
        self._earlier: dict[tuple, dict[tuple, int]] = {}
        self._latest_save: dict[type[models.Model], dict[int, bool]] = {}

    def find(self, model: type[models.Model], lookup: dict) -> models.Model | None:
        keys = tuple(sorted(lookup))
        if (model, keys) not in self._rows:
            self._rows[model, keys] = {tuple(getattr(obj, key) for key in keys): obj for obj in model.objects.all()}
        return self._rows[model, keys].get(tuple(lookup[key] for key in keys))

    def earlier_id(self, model: type[models.Model], lookup: dict) -> int | None:
        """The id of a row that once matched `lookup` (an editor renamed or deleted it since)."""
        keys = tuple(sorted(lookup))
        if (model, keys) not in self._earlier:
            rows = model.history.order_by("history_date", "history_id").values_list(*keys, "id")
            self._earlier[model, keys] = {tuple(row[:-1]): row[-1] for row in rows}
        return self._earlier[model, keys].get(tuple(lookup[key] for key in keys))

    def is_loader_owned(self, obj: models.Model) -> bool:
        model = type(obj)
        if model not in self._latest_save:
            rows = model.history.order_by("id", "history_date", "history_id").values_list(
                "id", "history_change_reason", "history_user_id"
            )
            self._latest_save[model] = {pk: reason == REFERENCE_REASON and user is None for pk, reason, user in rows}
        return self._latest_save[model].get(obj.pk, False)

    def saved(self, obj: models.Model) -> None:
        """Note a row the loader just created or updated."""
        self.is_loader_owned(obj)  # read the model's history before marking this row
        self._latest_save[type(obj)][obj.pk] = True
        for (model, keys), rows in self._rows.items():
            if model is type(obj):
                rows[tuple(getattr(obj, key) for key in keys)] = obj


class Loader:
    def __init__(self, directory: Path):
        self.directory = directory
        self.report = LoadReport()
        self.snapshot = RecordSnapshot()

    def read(self, name: str):
        path = self.directory / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ReferenceDataError(f"{path} is missing.") from None
        except json.JSONDecodeError as exc:
            raise ReferenceDataError(f"{path} is not valid JSON: {exc}") from None

    def upsert(self, model: type[models.Model], lookup: dict, values: dict, label: str) -> models.Model | None:
        """Create or update one row the loader owns; leave rows an editor has touched.

        Returns the current row (even if kept as the editor left it), or None when an
        editor deleted it."""
        obj = self.snapshot.find(model, lookup)
        if obj is None:
            earlier_id = self.snapshot.earlier_id(model, lookup)
            if earlier_id is not None:
                # It existed: an editor renamed or deleted it since.
                current = model.objects.filter(pk=earlier_id).first()
                self.report.kept.append(f"{model._meta.verbose_name} {label} ({'renamed' if current else 'deleted'})")
                return current
            return self.save(model(**lookup, **values), label, created=True)
        if not self.snapshot.is_loader_owned(obj):
            if any(getattr(obj, key) != value for key, value in values.items()):
                self.report.kept.append(f"{model._meta.verbose_name} {label}")
            return obj
        changed = {key: value for key, value in values.items() if getattr(obj, key) != value}
        if not changed:
            return obj
        for key, value in changed.items():
            setattr(obj, key, value)
        return self.save(obj, label, created=False)

    def save(self, obj: models.Model, label: str, *, created: bool) -> models.Model:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise ReferenceDataError(f"{obj._meta.verbose_name} {label}: {'; '.join(exc.messages)}") from None
        obj._change_reason = REFERENCE_REASON
        obj.save()
        self.snapshot.saved(obj)
        (self.report.created if created else self.report.updated)[obj._meta.verbose_name] += 1
        return obj

    def link(self, obj: models.Model | None, relation: str, targets: list[models.Model]) -> None:
        """Add missing many-to-many links, only on rows the loader still owns (an editor's
        change of links saves the row in the admin, which makes it theirs)."""
        if obj is None or not self.snapshot.is_loader_owned(obj):
            return
        manager = getattr(obj, relation)
        existing = set(manager.values_list("pk", flat=True))
        missing = [target for target in targets if target is not None and target.pk not in existing]
        if missing:
            manager.add(*missing)
            self.report.linked[relation] += len(missing)

    # --- the steps, in dependency order ---------------------------------------------------

    def load_agencies(self, catalog: dict) -> dict[str, Agency]:
        """Returns agencies by every label the data files use for them."""
        by_label = {}
        for entry in catalog["agencies"]:
            values = {"name": entry["name"], "full_name": entry["full_name"], "country": entry["country"]}
            agency = self.upsert(Agency, {"slug": entry["slug"]}, values, entry["name"])
            for label in entry["labels"]:
                by_label[label] = agency
        return by_label

    def load_families(self, catalog: dict, agencies: dict[str, Agency]) -> dict[str, VehicleFamily]:
        by_slug = {agency.slug: agency for agency in agencies.values() if agency}
        families = {}
        for entry in catalog["vehicle_families"]:
            days = entry["typical_stay_days"]
            values = {
                "name": entry["name"],
                "operator_id": by_slug[entry["operator"]].pk,
                "builder": entry["builder"],
                "seats": entry["seats"],
                "typical_stay": dt.timedelta(days=days) if days else None,
            }
            families[entry["name"]] = self.upsert(VehicleFamily, {"slug": entry["slug"]}, values, entry["name"])
        return families

    def agency(self, agencies: dict[str, Agency], label: str, where: str) -> Agency:
        if label not in agencies:
            raise ReferenceDataError(f"{where}: unknown agency {label!r}; add it to catalog.json.")
        return agencies[label]

    def load_person(self, entry: dict, agencies: dict[str, Agency], catalog: dict, where: str) -> Person | None:
        name, nicknames = split_nickname(entry["name"])
        extra = catalog["people"].get(name, {})
        values = {
            "agency_id": self.agency(agencies, entry["agency"], where).pk,
            "nationality": extra.get("nationality", ""),
            "name_ru": extra.get("name_ru") or russian_name(extra.get("aliases", [])),
        }
        person = self.upsert(Person, {"name": name}, {"slug": slugify(name), **values}, name)
        if person is not None:
            for alias in [*nicknames, *extra.get("aliases", [])]:
                self.upsert(PersonAlias, {"alias": alias}, {"person_id": person.pk}, alias)
        return person

    def citations(self, urls: list[str]) -> list[Citation]:
        return [self.upsert(Citation, {"url": url}, {}, url) for url in urls]

    def load_mission(self, flight: dict, families: dict[str, VehicleFamily]) -> Mission | None:
        name = flight["mission"]
        family = families.get(flight["vehicle_family"])
        if family is None:
            raise ReferenceDataError(f"{name}: unknown vehicle family {flight['vehicle_family']!r}.")
        if flight["status"] not in STATUSES:
            raise ReferenceDataError(f"{name}: unknown status {flight['status']!r}.")
        craft = None
        if flight.get("vehicle_name"):
            craft = self.upsert(
                Spacecraft, {"family_id": family.pk, "name": flight["vehicle_name"]}, {}, flight["vehicle_name"]
            )
        values = {
            "slug": slugify(name),
            "family_id": family.pk,
            "spacecraft_id": craft.pk if craft else None,
            "launch_site": flight.get("launch_site") or "",
            "status": STATUSES[flight["status"]],
            "notes": flight.get("notes") or "",
        }
        for event in EVENTS:
            try:
                values[f"{event}_at"], values[f"{event}_precision"] = partial_date(flight.get(f"{event}_date"))
            except ValueError as exc:
                raise ReferenceDataError(f"{name}: {event}_date: {exc}") from None
            values[f"{event}_certainty"] = Certainty.CONFIRMED if values[f"{event}_at"] else ""
        planned = flight.get("planned") or {}
        for event in EVENTS:
            if planned.get(event) and values[f"{event}_at"]:
                raise ReferenceDataError(f"{name}: the {event} happened ({event}_date) and has a planned target too.")
        values.update(planned_targets(name, planned))
        mission = self.upsert(Mission, {"name": name}, values, name)
        urls = [*flight.get("sources", []), *([planned["source"]] if planned.get("source") else [])]
        self.link(mission, "sources", self.citations(urls))
        return mission

    def seat(self, mission: Mission | None, person: Person | None, leg: str, role: str | None, where: str) -> None:
        if mission is None or person is None:
            return  # an editor deleted the mission or person: their seats go with them
        if role not in ROLES:
            raise ReferenceDataError(f"{where}: unknown role {role!r}.")
        lookup = {"mission_id": mission.pk, "person_id": person.pk, "leg": leg}
        self.upsert(Seat, lookup, {"role": ROLES[role]}, f"{person} on {mission} ({leg})")

    def load_crews(self, flights: list[dict], missions: dict, agencies: dict, catalog: dict) -> None:
        """Ascent seats from each crew; descent seats on the flight each person came home on."""
        for flight in flights:
            mission = missions[flight["mission"]]
            for entry in flight.get("crew", []):
                where = f"{flight['mission']}, {entry['name']}"
                person = self.load_person(entry, agencies, catalog, where)
                self.seat(mission, person, Leg.ASCENT, entry.get("role"), where)
                returned_on = entry.get("returned_on")
                if returned_on and returned_on not in missions:
                    raise ReferenceDataError(f"{where}: returned_on names unknown flight {returned_on!r}.")
                if not returned_on:
                    self.seat(mission, person, Leg.DESCENT, entry.get("role"), where)
            for entry in flight.get("return_crew_from_other_flights", []):
                where = f"{flight['mission']} (return), {entry['name']}"
                person = self.load_person(entry, agencies, catalog, where)
                self.seat(mission, person, Leg.DESCENT, entry.get("role"), where)

    def load_agreement(self, data: dict, catalog: dict, agencies: dict, missions: dict, flights: list[dict]) -> None:
        meta = catalog["agreement"]
        agreement = self.upsert(
            Agreement,
            {"slug": meta["slug"]},
            {
                "name": data["name"],
                "short_name": meta["short_name"],
                "short_name_ru": meta.get("short_name_ru", ""),
                "terms_summary": data.get("terms_summary", ""),
                "terms_summary_ru": meta.get("terms_summary_ru", ""),
            },
            meta["short_name"],
        )
        self.link(
            agreement, "parties", [self.agency(agencies, label, "agreement parties") for label in data["parties"]]
        )
        if agreement is None:
            return
        return_vehicles = {f["mission"]: f.get("return_vehicle") for f in flights}
        for doc in data["documents"]:
            self.load_document(agreement, doc, meta["documents"], missions, return_vehicles)

    def load_document(self, agreement, doc: dict, titles: dict, missions: dict, return_vehicles: dict) -> None:
        if doc["id"] not in titles:
            raise ReferenceDataError(f"agreement document {doc['id']!r} has no title in catalog.json.")
        meta = titles[doc["id"]]
        values = {"title": meta["title"], "title_ru": meta.get("title_ru", ""), "kind": meta["kind"]}
        for event in ("signed", "announced"):
            try:
                instant, precision = partial_date(doc.get(f"{event}_date"))
            except ValueError as exc:
                raise ReferenceDataError(f"agreement document {doc['id']}: {event}_date: {exc}") from None
            values[f"{event}_on"], values[f"{event}_precision"] = (instant.date() if instant else None), precision
        values.update(
            covers=doc.get("covers", ""),
            notes=doc.get("notes", ""),
            crew_changes="\n".join(doc.get("crew_changes", [])),
        )
        document = self.upsert(AgreementDocument, {"agreement_id": agreement.pk, "key": doc["id"]}, values, doc["id"])
        covered = []
        for label in doc.get("flights", []):
            name = label.split(" (")[0].strip()  # "SpaceX Crew-13 (2027 Dragon flight? unclear)"
            if name not in missions:
                raise ReferenceDataError(f"agreement document {doc['id']}: covers unknown flight {name!r}.")
            covered.append(missions[name])
            # A covered flight's crew coming home on a replacement vehicle (MS-22's crew on
            # MS-23) still ride under the agreement: the replacement is covered too.
            if return_vehicles.get(name):
                covered.append(missions[return_vehicles[name]])
        self.link(document, "missions", covered)
        self.link(document, "sources", self.citations(doc.get("sources", [])))

    def run(self) -> LoadReport:
        catalog, flights, agreement = self.read("catalog.json"), self.read("flights.json"), self.read("agreement.json")
        flights = [*catalog.get("extra_flights", []), *flights]
        with transaction.atomic():
            agencies = self.load_agencies(catalog)
            families = self.load_families(catalog, agencies)
            missions = {flight["mission"]: self.load_mission(flight, families) for flight in flights}
            self.load_crews(flights, missions, agencies, catalog)
            self.load_agreement(agreement, catalog, agencies, missions, flights)
        return self.report


def load_reference_data(*, directory: Path = REFERENCE_DIR) -> LoadReport:
    """Load the reference record; raises ReferenceDataError (and changes nothing) on bad data."""
    try:
        return Loader(directory).run()
    except KeyError as exc:
        raise ReferenceDataError(f"a required field is missing from the reference data: {exc}") from None
