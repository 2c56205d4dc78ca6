"""What changed in the record, read from its history (django-simple-history), in words.

Every save of a record row writes a history row; a change is that row compared with the
row before it for the same object: "Soyuz MS-28 landing: unknown → 2026-07-14". Two kinds
of history row are not changes and are never listed:

- the reference loader's rows (tracker/record/reference_data.py): the shipped record is
  the starting point, not an update to it;
- bookkeeping saves that changed no field: an admin "Save" with nothing edited, or an edit
  of a many-to-many link only (links are not kept in history).

`change_rows()` is the cheap part, in SQL: which rows, newest first, countable and sliceable
(a union over the tracked models). `row_changes()` reads just the rows of one page, with
the row before each and the names they point to, in a fixed number of queries. The news
layer (tracker/news/changes.py) adds accepted proposals to both.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.lookups import Lookup
from django.urls import reverse

from .models import (
    Agency,
    Agreement,
    AgreementDocument,
    Mission,
    Person,
    PersonAlias,
    Seat,
    Spacecraft,
    VehicleFamily,
)
from .models.missions import format_event_time
from .reference_data import REFERENCE_REASON

# The record's facts, by the name the API uses for each kind of change. Citations are not
# here: a source says why a fact is believed, it is not a fact itself.
TRACKED: dict[str, type[models.Model]] = {
    "mission": Mission,
    "seat": Seat,
    "person": Person,
    "alias": PersonAlias,
    "agency": Agency,
    "vehicle_family": VehicleFamily,
    "spacecraft": Spacecraft,
    "agreement": Agreement,
    "agreement_document": AgreementDocument,
}
# Which name a row pointed to by a foreign key goes by.
LABEL_FIELDS = {Agreement: "short_name", AgreementDocument: "title"}
TEXT_CHARS = 80
ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


class Same(Lookup):
    """`a IS NOT DISTINCT FROM b`: equal, with NULL equal to NULL (plain `=` says unknown)."""

    lookup_name = "same"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IS NOT DISTINCT FROM {rhs}", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IS {rhs}", [*lhs_params, *rhs_params]


def fact_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _previous_row(model: type[models.Model]) -> Subquery:
    """The history id of the row before OuterRef's for the same object (None for its first).
    By id, not date: ids only grow, while a clock may be set back (or frozen in a test)."""
    rows = model.history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
    return Subquery(rows.values("history_id")[:1])


def _component(kind: str, model, *, since, until, missions, excluding) -> QuerySet:
    rows = model.history.exclude(history_user__isnull=True, history_change_reason=REFERENCE_REASON)
    if since is not None:
        rows = rows.filter(history_date__gte=since)
    if until is not None:
        rows = rows.filter(history_date__lt=until)
    if missions is not None:
        rows = rows.filter(**{"id__in" if model is Mission else "mission_id__in": missions})
    if excluding is not None:
        rows = rows.exclude(history_date__in=excluding)
    unchanged = model.history.filter(
        *(Same(F(f.attname), OuterRef(f.attname)) for f in fact_fields(model)), history_id=OuterRef("previous_id")
    )
    return (
        rows.annotate(previous_id=_previous_row(model))
        .filter(~Q(history_type="~") | ~Exists(unchanged))
        .annotate(change_kind=Value(kind, output_field=CharField()), change_row=F("history_id"))
        .annotate(change_at=F("history_date"))
        .values("change_kind", "change_row", "change_at")
        .order_by()
    )


def change_rows(
    *,
    kinds=None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    missions=None,
    excluding: QuerySet | None = None,
) -> list[QuerySet]:
    """One values() queryset per tracked model (`kinds`: all of them by default) of the
    rows that are changes, as `change_kind`, `change_row` (history id), `change_at`; to be
    unioned and ordered by the caller. `missions` keeps changes of those missions and their
    seats; `excluding` is a queryset of instants whose rows belong to someone else's entry."""
    chosen = [kind for kind in TRACKED if kinds is None or kind in kinds]
    if missions is not None:
        chosen = [kind for kind in chosen if kind in ("mission", "seat")]
        missions = [mission.pk for mission in missions]
    return [
        _component(kind, TRACKED[kind], since=since, until=until, missions=missions, excluding=excluding)
        for kind in chosen
    ]


# --- in words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str  # "landing", "name", "role"
    what: str  # "Soyuz MS-28 landing"
    old: str  # "unknown"
    new: str  # "2026-07-14"

    def __str__(self) -> str:
        return f"{self.what}: {self.old} → {self.new}"


@dataclass(frozen=True)
class RowChange:
    """One history row as a change: what it did to which object, who did it and when."""

    kind: str
    history_id: int
    action: str  # added, changed, removed
    subject: str  # the object the change belongs to: "Soyuz MS-28"
    thing: str  # what was added, changed or removed: "Anna Kikina's ascent seat"
    url: str
    at: dt.datetime
    user: str | None
    reason: str
    fields: list[FieldChange]
    mission: Mission | None = None
    person: Person | None = None

    @property
    def headline(self) -> str:
        if self.action == "changed" and len(self.fields) == 1:
            return str(self.fields[0])
        if self.action == "changed":
            return f"{self.thing}: " + "; ".join(f"{c.field}: {c.old} → {c.new}" for c in self.fields)
        on = f" on {self.subject}" if self.subject != self.thing else ""
        return f"{self.thing}{on} {self.action}"

    @property
    def lines(self) -> list[str]:
        if self.action == "changed":
            return [str(change) for change in self.fields]
        details = ", ".join(f"{c.field}: {c.new if self.action == 'added' else c.old}" for c in self.fields)
        return [f"{self.headline} ({details})" if details else self.headline]


class Names:
    """The rows that history rows point to, read once per related model for a whole page."""

    OWN = {"mission": Mission, "person": Person, "vehicle_family": VehicleFamily}

    def __init__(self, rows):
        wanted = defaultdict(set)
        for row in rows:
            if row[0] in self.OWN:  # the object itself, for its page's address
                wanted[self.OWN[row[0]]].add(row[1].id)
            for f in fact_fields(TRACKED[row[0]]):
                if f.is_relation and getattr(row[1], f.attname) is not None:
                    wanted[f.related_model].add(getattr(row[1], f.attname))
                    if row[2] is not None and getattr(row[2], f.attname) is not None:
                        wanted[f.related_model].add(getattr(row[2], f.attname))
        self.found = {model: model.objects.in_bulk(ids) for model, ids in wanted.items()}

    def get(self, model, pk):
        return self.found.get(model, {}).get(pk)

    def label(self, model, pk) -> str:
        if pk is None:
            return "none"
        obj = self.get(model, pk)
        return getattr(obj, LABEL_FIELDS.get(model, "name")) if obj else f"#{pk} (deleted)"


def _display(f: models.Field, value, names: Names) -> str:
    if value is None or value == "":
        return "none"
    if f.is_relation:
        return names.label(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.timedelta):
        return f"{value.days} days"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS].rsplit(" ", 1)[0] + " …"


def _values(model, row, names: Names) -> dict[str, tuple[str, str | None]]:
    """Each fact of a row as (text, exact value where the text may hide it); an instant, its
    precision and its certainty are one fact ("landing"), so a target confirmed reads
    "target 2026-07-14 → 2026-07-14 09:27 UTC", not as a separate 'certainty' change."""
    fields = {f.attname: f for f in fact_fields(model)}
    shown = {}
    for name, f in fields.items():
        base = name.rsplit("_", 1)[0]
        if name.endswith(("_precision", "_certainty")) and (f"{base}_at" in fields or f"{base}_on" in fields):
            continue
        if name.endswith(("_at", "_on")) and f"{base}_precision" in fields:
            certainty = getattr(row, f"{base}_certainty", "")
            value = format_event_time(getattr(row, name), getattr(row, f"{base}_precision"), certainty)
            raw = getattr(row, name)
            shown[base] = (value, raw.isoformat() if raw else "unknown")
        else:
            label = f.verbose_name if not f.is_relation else f.name.replace("_", " ")
            shown[str(label)] = (_display(f, getattr(row, name), names), None)
    return shown


def _field_changes(model, before, after, thing: str, names: Names) -> list[FieldChange]:
    old_values = _values(model, before, names) if before is not None else {}
    new_values = _values(model, after, names) if after is not None else {}
    changes = []
    for label in new_values or old_values:
        old, old_raw = old_values.get(label, ("none", None))
        new, new_raw = new_values.get(label, ("none", None))
        if before is None or after is None:
            shown = new if before is None else old
            if shown not in ("none", "unknown"):
                changes.append(FieldChange(label, f"{thing} {label}", old, new))
        elif old != new:
            changes.append(FieldChange(label, f"{thing} {label}", old, new))
        elif old_raw != new_raw:  # a time moved within a window its precision hides
            changes.append(FieldChange(label, f"{thing} {label}", old_raw, new_raw))
    return changes


def _page(name: str, *args) -> str:
    return reverse(name, args=args)


def _about(kind: str, row, names: Names) -> tuple[str, str, str, Mission | None, Person | None]:
    """(subject, thing, url, mission, person) for a row of `kind`."""
    if kind == "mission":
        mission = names.get(Mission, row.id)
        return row.name, row.name, _page("record:mission", row.slug), mission, None
    if kind == "seat":
        mission, person = names.get(Mission, row.mission_id), names.get(Person, row.person_id)
        mission_name, person_name = names.label(Mission, row.mission_id), names.label(Person, row.person_id)
        url = mission.get_absolute_url() if mission else _page("record:dashboard")
        return mission_name, f"{person_name}'s {row.leg} seat", url, mission, person
    if kind in ("person", "alias"):
        person = names.get(Person, row.id if kind == "person" else row.person_id)
        name = row.name if kind == "person" else names.label(Person, row.person_id)
        thing = name if kind == "person" else f"{name}'s spelling “{row.alias}”"
        url = person.get_absolute_url() if person else _page("record:dashboard")
        return name, thing, url, None, person
    if kind in ("vehicle_family", "spacecraft"):
        family = names.get(VehicleFamily, row.id if kind == "vehicle_family" else row.family_id)
        name = row.name if kind == "vehicle_family" else f"{names.label(VehicleFamily, row.family_id)} {row.name}"
        return name, name, family.get_absolute_url() if family else _page("record:dashboard"), None, None
    if kind in ("agreement", "agreement_document"):
        name = row.short_name if kind == "agreement" else row.title
        return name, name, _page("record:agreement"), None, None
    return row.name, row.name, _page("record:dashboard"), None, None


def _describe(kind: str, row, before, names: Names) -> RowChange:
    model = TRACKED[kind]
    subject, thing, url, mission, person = _about(kind, row, names)
    action = ACTIONS[row.history_type]
    old, new = {"added": (None, row), "changed": (before, row), "removed": (row, None)}[action]
    fields = _field_changes(model, old, new, thing, names)
    return RowChange(
        kind=kind,
        history_id=row.history_id,
        action=action,
        subject=subject,
        thing=thing,
        url=url,
        at=row.history_date,
        user=row.history_user.get_username() if row.history_user else None,
        reason=row.history_change_reason or "",
        fields=fields,
        mission=mission,
        person=person,
    )


def row_changes(selection: dict[str, Q]) -> list[RowChange]:
    """The history rows of each kind that its Q selects, described; each is compared with
    the row before it. Two queries per kind, and one per kind of row they name."""
    found = []
    for kind, condition in selection.items():
        model = TRACKED[kind]
        rows = list(
            model.history.filter(condition)
            .annotate(previous_id=_previous_row(model))
            .select_related("history_user")
            .order_by("history_id")
        )
        previous = model.history.in_bulk([row.previous_id for row in rows if row.previous_id])
        found += [(kind, row, previous.get(row.previous_id)) for row in rows]
    names = Names(found)
    return [_describe(kind, row, before, names) for kind, row, before in found]
