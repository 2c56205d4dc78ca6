import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.record.crossflights import crossflight_missions, mission_as_dict


class Command(BaseCommand):
    help = "List every cross-flight mission of the integrated-crew-flights agreement, with its seats."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON (a list of missions) instead of a table.")

    def handle(self, *args, **options):
        now = timezone.now()
        missions = [mission_as_dict(mission, now) for mission in crossflight_missions(now)]
        if options["json"]:
            self.stdout.write(json.dumps(missions, indent=2, ensure_ascii=False))
            return
        for mission in missions:
            self.stdout.write(self.format_mission(mission))
        self.stdout.write(
            f"{len(missions)} cross-flight missions; * marks a cross-flight seat, ! a stale record; "
            "a date with ~ is a target (NET: no earlier than), with ? one that passed unconfirmed."
        )

    @staticmethod
    def format_mission(mission: dict) -> str:
        launch, landing = Command.format_time(mission, "launch"), Command.format_time(mission, "landing")
        head = (
            f"{mission['mission']:<26} {mission['vehicle_family']:<12} {mission['status']:<10} "
            f"up {launch:<15} down {landing:<15}{'  ! stale' if mission['stale'] else ''}"
        )
        crew = [
            f"    {'*' if seat['cross_flight'] else ' '} {seat['leg']:<8} {seat['name']:<24} "
            f"{seat['agency']:<10} {seat['role'] or 'role unknown'}"
            for seat in mission["crew"]
        ]
        return "\n".join([head, *crew])

    @staticmethod
    def format_time(mission: dict, event: str) -> str:
        """'2022-09-21'; a target '~2026-07-14', 'NET 2026-09', with '?' once overdue."""
        if mission[event] is None:
            return "unknown"
        mark = {"target": "~", "net": "NET "}.get(mission[f"{event}_certainty"], "")
        return f"{mark}{mission[event][:10]}{'?' if mission[f'{event}_overdue'] else ''}"
