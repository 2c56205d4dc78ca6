"""`manage.py runstack`: the whole stack on a laptop in one command.

Thin on purpose: the supervision logic lives in tracker.lib.stack.
"""

import logging

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.lib.stack import (
    Stack,
    StackError,
    StopFlag,
    StopRequested,
    install_stop_handlers,
    manage_argv,
    restore_handlers,
    service_argvs,
)

log = logging.getLogger("tracker.lib.stack")


class Command(BaseCommand):
    help = (
        "Run the web server, a Celery worker and beat (plus a private Redis unless REDIS_URL is set) "
        "after migrating and loading the reference data. Ctrl-C stops everything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port of the web server on 127.0.0.1.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a Celery worker.")
        parser.add_argument("--no-beat", action="store_true", help="Do not start Celery beat.")

    def handle(self, *args: object, port: int, no_worker: bool, no_beat: bool, **options: object) -> None:
        stop = StopFlag()
        # Installed first, so a Ctrl-C during Redis start-up or migrate still cleans up.
        previous = install_stop_handlers(stop)
        stack = Stack(base_dir=settings.BASE_DIR, data_dir=settings.DATA_DIR, stop=stop)
        try:
            stack.provide_redis()
            stack.run_step("migrate", manage_argv(settings.BASE_DIR, "migrate", "--noinput"))
            stack.run_step("load_reference_data", manage_argv(settings.BASE_DIR, "load_reference_data"))
            for name, argv in service_argvs(settings.BASE_DIR, port, worker=not no_worker, beat=not no_beat):
                stack.start(name, argv)
            log.info("stack is up: http://127.0.0.1:%d/ (Ctrl-C stops everything)", port)
            stack.supervise()
        except StopRequested as exc:
            log.info("%s received: stopping the stack", exc)
        except StackError as exc:
            # `finally` still stops every child before Django prints this and exits 1.
            raise CommandError(str(exc)) from None
        finally:
            stack.shutdown()
            restore_handlers(previous)
