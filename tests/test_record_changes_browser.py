"""An editor's edit reaches the updates feed, in a real browser: Chromium clicks Save on a
mission's admin page, then opens /feeds/updates.atom as a subscriber's reader would."""

import os
import xml.etree.ElementTree as ET

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tracker.record.models import Mission  # noqa: E402

from .test_admin_browser import logged_in, page  # noqa: E402, F401  (the admin suite's tab and login)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"


def test_an_edit_saved_in_the_admin_is_in_the_updates_feed_at_once(logged_in):  # noqa: F811
    tab = logged_in
    # A feed reader's poll before the edit: the server caches the feed for this record version.
    # (Not through the tab: Chromium would keep that copy for its max-age and never ask again.)
    before = tab.request.get("/feeds/updates.atom")
    assert before.ok and ET.fromstring(before.text()).findall(f"{ATOM}entry") == []

    ms28 = Mission.objects.get(name="Soyuz MS-28")
    tab.goto(f"/admin/record/mission/{ms28.pk}/change/")
    tab.fill("#id_landing_at_0", "2026-07-20")
    tab.fill("#id_landing_at_1", "")  # a blank time: known to the day
    tab.select_option("#id_landing_precision", "day")
    tab.click("input[name=_save]")
    tab.wait_for_url("**/admin/record/mission/")
    assert "was changed successfully" in tab.inner_text(".messagelist")

    feed = ET.fromstring(tab.goto("/feeds/updates.atom").text())
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Soyuz MS-28 landing: target July 2026 → target 2026-07-20"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "edna"
    assert "Changed " in entry.findtext(f"{ATOM}summary") and " by edna." in entry.findtext(f"{ATOM}summary")
    assert entry.find(f"{ATOM}link").get("href").endswith("/missions/soyuz-ms-28/")
