"""Extraction quality on a labelled set of news stories (not a test): what `manage.py ingest`
finds in each file against the labels.

    .venv/bin/python bench/extraction.py [--dir ../shared/data/news-dev] [--json]

Each file goes through the ingest command's own code (`Command.ingest`, so header parsing,
publication date, language, extraction and proposals are the real ones) against a fresh
SQLite database in a temporary directory with the shipped reference record loaded. Each
article runs in a transaction that is rolled back, so one article's proposals never hide
another's. Prints:

- micro-F1 of the missions and people an article mentions (sets of canonical names);
- micro-F1 of the dated events. The headline is the timed events (launch, docking,
  undocking, landing): an event matches a label on type + mission + date, the date as the
  UTC day ("YYYY-MM-DD") or, for a label at month precision, "YYYY-MM". A day may be off by
  one only when the label's evidence gives no time of day: then the story names a local day,
  and its own zone (Baikonur, Houston, Moscow) can put the UTC day either side. A second
  figure covers the other events too: agreements on type + date; delays and crew
  assignments on type + mission only, each mission once (the labels date a delay by the day
  it was called and an assignment by its announcement, while the pipeline dates a delay by
  its new target and the record does not date a seat).
  Events without a date, on either side, are not scored, nor events dated to a quarter, half
  or year (the labels cannot say those and give null).
- the precision of the launch/docking/undocking/landing *proposals* the pipeline makes: a
  proposal is right when a label of that article has the same type, mission and date (with
  the same one-day allowance; a proposal for a quarter, half or year against a label's null);
- the same precision against a record that does not already know the stories' events: each
  story runs again with the launch, docking, undocking and landing instants of its labelled
  missions cleared (and a flown mission set back to planned, which the record requires of a
  mission without a launch), inside the rolled-back transaction, with the linked names rebuilt
  for it; its launch/docking/undocking/landing proposals are scored the same way. Against the
  shipped record most events agree with what it holds and propose nothing, so the first
  figure rests on few proposals; this one shows what the pipeline would propose from scratch;
- extraction speed: events per second and articles per second of `extract` alone, best of
  several runs over the whole set;
- per article: the missions, people and events missed (in the labels, not found) and wrong
  (found, not in the labels).

`--json` prints the whole result as one JSON object instead.
"""

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, use_production_settings

DEFAULT_DIR = (REPO.parent / "shared" / "data" / "news-dev") if (REPO.parent / "shared").is_dir() else None
if DEFAULT_DIR is None or not DEFAULT_DIR.is_dir():
    DEFAULT_DIR = Path("/work/shared/data/news-dev")
TIMED = ("launch", "docking", "undocking", "landing")
_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}(?!\d)|\b\d{1,2}\s*[ap]\.?m\b|\bnoon\b|\bmidnight\b|\bполноч|\bполдень", re.I)
SPEED_RUNS = 5
_LABEL_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def setup(workdir: Path) -> None:
    use_production_settings(
        workdir,
        database_url=f"sqlite:///{workdir / 'bench.sqlite3'}",
        redis_url="redis://127.0.0.1:6379/15",
        settings_tail="CACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}\n",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tracker.record.reference_data import load_reference_data

    load_reference_data()


def forget_events(missions: list[str]) -> None:
    """Clear the missions' launch/docking/undocking/landing instants, as if the record had
    never heard of them (a mission without a launch cannot be flown: it goes back to planned),
    and have the linked names rebuilt from that record."""
    from tracker.record.models import Mission, MissionStatus
    from tracker.record.models.missions import FLOWN_STATUSES
    from tracker.record.version import bump_record_version

    chosen = Mission.objects.filter(name__in=missions)
    forgotten = {
        f"{event}_{field}": value
        for event in TIMED
        for field, value in (("at", None), ("precision", ""), ("certainty", ""))
    }
    # One UPDATE each, so the CHECKs tying the status to the launch hold after every statement.
    chosen.filter(status__in=FLOWN_STATUSES).update(status=MissionStatus.PLANNED, **forgotten)
    chosen.update(**forgotten)
    bump_record_version()


def run_article(path: Path, *, without_dates_of: list[str] | None = None) -> dict:
    """What `manage.py ingest --json PATH` prints for the file, plus its proposals' facts;
    with `without_dates_of`, against a record that does not know those missions' events.
    Whatever it writes is rolled back."""
    from django.db import transaction

    from tracker.record.version import bump_record_version

    try:
        with transaction.atomic():
            if without_dates_of is not None:
                forget_events(without_dates_of)
            data = _ingested(path)
            transaction.set_rollback(True)
    finally:
        if without_dates_of is not None:
            bump_record_version()  # the rollback restored the record: the names must follow it
    return data


def _ingested(path: Path) -> dict:
    from tracker.news.management.commands.ingest import Command, article_report

    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    try:
        items = command.ingest(str(path), allow_private=False)
    except Exception as error:  # a refused article scores as finding nothing
        return {"error": f"{type(error).__name__}: {error}", "missions": [], "people": [], "events": []}
    item, warnings = items[0]
    data = article_report(item)
    data["warnings"] = list(warnings)
    data["proposal_facts"] = [
        {
            "type": p.kind,
            "mission": p.mission.name if p.mission else None,
            "date": _proposal_date(p),
            "time": p.time.strftime("%H:%M") if p.time else None,
            "happened": p.happened,
        }
        for p in item.proposals
    ]
    return data


def _proposal_date(proposal) -> str | None:
    if proposal.date is None:
        return None
    if proposal.precision in ("day", "exact"):
        return proposal.date.isoformat()[:10]
    if proposal.precision == "month":
        return proposal.date.isoformat()[:7]
    return f"{proposal.precision}:{proposal.date.isoformat()[:10]}"


# --- scoring -------------------------------------------------------------------------------


def _day_slack(label: dict) -> bool:
    """A label's day may be matched ±1 when its evidence gives no time of day."""
    return len(label["date"] or "") == 10 and not _CLOCK.search(label.get("evidence") or "")


def _dates_match(found: str | None, label: dict) -> bool:
    wanted = label["date"]
    if found is not None and wanted is None:
        return not _LABEL_DATE.fullmatch(found)  # a proposal for a quarter/half/year: the labels say null
    if found is None or wanted is None:
        return False
    if found == wanted:
        return True
    if _day_slack(label) and len(found) == 10:
        import datetime as dt

        return abs((dt.date.fromisoformat(found) - dt.date.fromisoformat(wanted)).days) == 1
    return False


def _event_key_matches(found: dict, label: dict) -> bool:
    if found["type"] != label["type"]:
        return False
    if found["type"] in ("crew_assignment", "delay"):
        return found["mission"] == label["mission"]
    if found["type"] != "agreement" and found["mission"] != label["mission"]:
        return False
    return _dates_match(found["date"], label)


def _scored(events: list[dict], types) -> list[dict]:
    kept, seen = [], set()
    for event in events:
        if event["type"] not in types:
            continue
        if event["type"] in ("crew_assignment", "delay"):
            if event["mission"] is None or (event["type"], event["mission"]) in seen:
                continue
            seen.add((event["type"], event["mission"]))
        elif event["date"] is None or not _LABEL_DATE.fullmatch(event["date"]):
            continue  # undated, or a quarter, half or year, which the labels cannot say (they say null)
        kept.append(event)
    return kept


def match(found: list[dict], labels: list[dict]) -> tuple[list[dict], list[dict], list[tuple[dict, dict]]]:
    """Greedy one-to-one matching, exact dates first: (missed labels, wrong finds, pairs)."""
    left, pairs, wrong = list(labels), [], []
    ordered = sorted(found, key=lambda f: not any(f["date"] == lab["date"] for lab in labels))
    for event in ordered:
        partner = next((lab for lab in left if _event_key_matches(event, lab) and event["date"] == lab["date"]), None)
        partner = partner or next((lab for lab in left if _event_key_matches(event, lab)), None)
        if partner is None:
            wrong.append(event)
        else:
            left.remove(partner)
            pairs.append((event, partner))
    return left, wrong, pairs


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def figures(self) -> dict:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
        }


_NICKNAME = re.compile(r"\s+(?:\([^)]*\)|'[^']*')(?=\s)")


def person_key(name: str) -> str:
    """ "Francisco (Frank) Rubio" and "Barry 'Butch' Wilmore", the labels' canonical forms, as
    the record names them: "Francisco Rubio", "Barry Wilmore"."""
    return _NICKNAME.sub("", name)


PROPOSAL_TALLIES = ("proposals", "proposals_without_dates")


def labelled_missions(label: dict) -> list[str]:
    """The missions a story is labelled with, and those of its labelled events."""
    return sorted({*label["missions"], *(e["mission"] for e in label["events"] if e.get("mission"))})


def score(labels: list[dict], results: dict[str, dict], without_dates: dict[str, dict] | None = None) -> dict:
    """The figures and the per-article diff; `without_dates` are the same stories' results
    against a record without their missions' dates (scored for proposals only)."""
    names = ("missions", "people", "timed_events", "all_events", *PROPOSAL_TALLIES)
    tallies = {name: Tally() for name in names}
    happened = [0, 0]
    articles = []
    all_types = (*TIMED, "delay", "agreement", "crew_assignment")
    for label in labels:
        got = results[label["file"]]
        diff = {"file": label["file"]}
        if got.get("error"):
            diff["error"] = got["error"]
        for kind in ("missions", "people"):
            key = person_key if kind == "people" else str
            found, wanted = {key(n) for n in got.get(kind, [])}, {key(n) for n in label[kind]}
            tallies[kind].add(len(found & wanted), len(found - wanted), len(wanted - found))
            diff[f"{kind}_missed"], diff[f"{kind}_wrong"] = sorted(wanted - found), sorted(found - wanted)
        events = [_slim(e) for e in got.get("events", [])]
        for name, types in (("timed_events", TIMED), ("all_events", all_types)):
            missed, wrong, pairs = match(_scored(events, types), _scored(label["events"], types))
            tallies[name].add(len(pairs), len(wrong), len(missed))
            if name == "timed_events":
                happened[0] += sum(f["happened"] == lab["happened"] for f, lab in pairs)
                happened[1] += len(pairs)
            diff[f"{name}_missed"] = [_show(e) for e in missed]
            diff[f"{name}_wrong"] = [_show(e) for e in wrong]
        runs = [("proposals", got)]
        if without_dates is not None:
            runs.append(("proposals_without_dates", without_dates[label["file"]]))
        for name, run in runs:
            proposals = [p for p in run.get("proposal_facts", []) if p["type"] in TIMED]
            _, wrong, pairs = match(proposals, [e for e in label["events"] if e["type"] in TIMED])
            tallies[name].add(len(pairs), len(wrong), 0)
            diff[f"{name}_wrong"] = [_show(p) for p in wrong]
            diff[f"{name}_right"] = [_show(p) for p, _ in pairs]
        articles.append(diff)
    figures = {name: tally.figures() for name, tally in tallies.items()}
    for name in PROPOSAL_TALLIES:
        figures[name] = {k: v for k, v in figures[name].items() if k in ("tp", "fp", "precision")}
    if without_dates is None:
        del figures["proposals_without_dates"]
    figures["timed_events"]["happened_agrees"] = round(happened[0] / happened[1], 3) if happened[1] else None
    return {"figures": figures, "articles": articles}


def _slim(event: dict) -> dict:
    return {k: event.get(k) for k in ("type", "mission", "date", "time", "happened", "evidence")}


def _show(event: dict) -> str:
    state = "" if event.get("happened") is None else (" happened" if event["happened"] else " planned")
    when = event.get("date") or "undated"
    if event.get("time"):
        when += f" {event['time']}"
    text = f"{event['type']} {event.get('mission') or '-'} {when}{state}"
    if event.get("evidence"):
        text += f" | {event['evidence'][:110]}"
    return text


# --- speed --------------------------------------------------------------------------------


def measure_speed(paths: list[Path]) -> dict:
    """`extract` alone (the pure step ingest runs per article), best of SPEED_RUNS passes."""
    from tracker.news.extraction import detect_language, extract
    from tracker.news.linked_names import current_linked_names
    from tracker.news.parse import decode, parse_text

    index = current_linked_names().known
    inputs = []
    for path in paths:
        entry, _ = parse_text(decode(path.read_bytes(), None), default_url=f"file://{path}")
        published = entry.published.date() if entry.published else None
        text = f"{entry.title}.\n{entry.text}"
        inputs.append((text, published, detect_language(entry.text)))
    best, events = float("inf"), 0
    for _ in range(SPEED_RUNS):
        started = time.perf_counter()
        events = sum(len(extract(t, index=index, published=p, language=lang).events) for t, p, lang in inputs)
        best = min(best, time.perf_counter() - started)
    return {
        "articles": len(inputs),
        "events": events,
        "seconds": round(best, 4),
        "events_per_second": round(events / best) if best else None,
        "articles_per_second": round(len(inputs) / best) if best else None,
    }


# --- output -------------------------------------------------------------------------------


def print_report(result: dict) -> None:
    figures = result["figures"]
    print(f"{'measure':<34}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}")
    names = {
        "missions": "missions",
        "people": "people",
        "timed_events": "dated launch/dock/undock/land",
        "all_events": "all dated events",
    }
    for key, label in names.items():
        f = figures[key]
        print(
            f"{label:<34}{f['precision']:>7.3f}{f['recall']:>7.3f}{f['f1']:>7.3f}{f['tp']:>5}{f['fp']:>5}{f['fn']:>5}"
        )
    p = figures["proposals"]
    print(f"{'timed proposals (precision)':<34}{p['precision']:>7.3f}{'':>14}{p['tp']:>5}{p['fp']:>5}")
    if "proposals_without_dates" in figures:
        p = figures["proposals_without_dates"]
        print(f"proposals vs a record without those dates (precision) {p['precision']:.3f}  tp {p['tp']}  fp {p['fp']}")
    print(f"happened/planned agrees on matched timed events: {figures['timed_events']['happened_agrees']}")
    speed = result["speed"]
    print(
        f"extract alone: {speed['events']} events from {speed['articles']} articles in {speed['seconds']:.3f} s: "
        f"{speed['events_per_second']} events/s, {speed['articles_per_second']} articles/s"
    )
    print()
    for article in result["articles"]:
        lines = []
        if article.get("error"):
            lines.append(f"  REFUSED: {article['error']}")
        for key in (
            "missions_missed",
            "missions_wrong",
            "people_missed",
            "people_wrong",
            "all_events_missed",
            "all_events_wrong",
            "proposals_wrong",
            "proposals_without_dates_wrong",
        ):
            for item in article.get(key, []):
                lines.append(f"  {key.replace('_', ' ')}: {item}")
        if lines:
            print(article["file"])
            print("\n".join(lines))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"labelled set (default {DEFAULT_DIR})")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    args = parser.parse_args(argv)
    labels = json.loads((args.dir / "labels.json").read_text())
    workdir = Path(tempfile.mkdtemp(prefix="bench-extraction-"))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            setup(workdir)
        results = {label["file"]: run_article(args.dir / label["file"]) for label in labels}
        without_dates = {
            label["file"]: run_article(args.dir / label["file"], without_dates_of=labelled_missions(label))
            for label in labels
        }
        result = score(labels, results, without_dates)
        result["speed"] = measure_speed([args.dir / label["file"] for label in labels])
        result["dir"] = str(args.dir)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            print_report(result)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
