import json

from django.core.management.base import BaseCommand

from tracker.record.crossflights import crossflight_missions, mission_as_dict


class Command(BaseCommand):
    help = "List every cross-flight mission of the integrated-crew-flights agreement, with its seats."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print JSON (a list of missions) instead of a table.")

    def handle(self, *args, **options):
        missions = [mission_as_dict(mission) for mission in crossflight_missions()]
        if options["json"]:
            self.stdout.write(json.dumps(missions, indent=2, ensure_ascii=False))
            return
        for mission in missions:
            self.stdout.write(self.format_mission(mission))
        self.stdout.write(f"{len(missions)} cross-flight missions; * marks a cross-flight seat, ! a stale record.")

    @staticmethod
    def format_mission(mission: dict) -> str:
        launch = (mission["launch"] or "unknown")[:10]
        landing = (mission["landing"] or "unknown")[:10]
        head = (
            f"{mission['mission']:<26} {mission['vehicle_family']:<12} {mission['status']:<10} "
            f"up {launch:<10} down {landing:<10}{'  ! stale' if mission['stale'] else ''}"
        )
        crew = [
            f"    {'*' if seat['cross_flight'] else ' '} {seat['leg']:<8} {seat['name']:<24} "
            f"{seat['agency']:<10} {seat['role'] or 'role unknown'}"
            for seat in mission["crew"]
        ]
        return "\n".join([head, *crew])
