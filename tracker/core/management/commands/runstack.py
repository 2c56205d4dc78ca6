"""`manage.py runstack`: the whole stack on a laptop in one command.

Thin on purpose: the supervision logic lives in tracker.lib.stack.
"""

import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.core import static_files
from tracker.lib.run_modes import children_env
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


def collect_static_files(stack: Stack, base) -> None:
    """DEBUG off serves only collected files (hashed names, compressed, via whitenoise)."""
    fingerprint = static_files.sources_fingerprint()
    if static_files.collected_files_are_current(fingerprint):
        log.info("static files unchanged since the last collectstatic")
        return
    log.info("collecting static files (hashed and compressed; a minute or two, once per change)")
    stack.run_step("collectstatic", manage_argv(base, "collectstatic", "--noinput", "-v", "0"))
    static_files.record_collected(fingerprint)


class Command(BaseCommand):
    help = (
        "Run the product: the web server (gunicorn, DEBUG off), a Celery worker and beat (plus a private "
        "Redis unless REDIS_URL is set) after migrating, loading the reference data and collecting the "
        "static files. --dev runs Django's development server with DEBUG on instead. Ctrl-C stops everything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port of the web server on 127.0.0.1.")
        parser.add_argument("--no-worker", action="store_true", help="Do not start a Celery worker.")
        parser.add_argument("--no-beat", action="store_true", help="Do not start Celery beat.")
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Development: DEBUG on (Django's debug pages), runserver with autoreload, static files unfrozen.",
        )

    def handle(self, *args: object, port: int, no_worker: bool, no_beat: bool, dev: bool, **options: object) -> None:
        stop = StopFlag()
        # Installed first, so a Ctrl-C during Redis start-up or migrate still cleans up.
        previous = install_stop_handlers(stop)
        env = children_env(os.environ, data_dir=settings.DATA_DIR, dev=dev)
        stack = Stack(base_dir=settings.BASE_DIR, data_dir=settings.DATA_DIR, stop=stop, env=env)
        base = settings.BASE_DIR
        try:
            stack.provide_redis()
            stack.run_step("migrate", manage_argv(base, "migrate", "--noinput"))
            stack.run_step("load_reference_data", manage_argv(base, "load_reference_data"))
            if not dev:
                collect_static_files(stack, base)
            for name, argv in service_argvs(base, port, worker=not no_worker, beat=not no_beat, dev=dev):
                stack.start(name, argv)
            mode = "development mode, DEBUG on" if dev else "DEBUG off; bin/run --dev for development"
            log.info("stack is up: http://127.0.0.1:%d/ (%s; Ctrl-C stops everything)", port, mode)
            stack.supervise()
        except StopRequested as exc:
            log.info("%s received: stopping the stack", exc)
        except StackError as exc:
            # `finally` still stops every child before Django prints this and exits 1.
            raise CommandError(str(exc)) from None
        finally:
            stack.shutdown()
            restore_handlers(previous)
