"""A task of the fault scenarios' own, imported into their workers by app_settings.py: it takes
as long as it is told and touches neither Redis nor the database, so a scenario can have a
task finish (and its acknowledgement go to the broker) at a moment of its choosing."""

import time

from celery import shared_task


@shared_task(name="faults.nap", ignore_result=True)
def nap(seconds: float) -> str:
    time.sleep(seconds)
    return f"napped {seconds:g} s"
