"""The admin's AppConfig (in INSTALLED_APPS): Django's, with the editors' site as the default.

It names the site by dotted path and imports nothing of it, so settings can load this module
before the apps are ready; Django imports admin_site.py in the admin's ready(), when the User
model (which the login form needs) is loaded.
"""

from django.contrib.admin.apps import AdminConfig


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.core.admin_site.TrackerAdminSite"
