from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

EDITOR_GROUP = "editor"


class TrackerAdminSite(admin.AdminSite):
    site_header = "ISS crew rotation tracker — editors"
    site_title = "Crew tracker admin"
    index_title = "The record"

    def has_permission(self, request):
        """Only editors (and superusers) may use the admin, whatever their staff flag says."""
        user = request.user
        if not user.is_active:
            return False
        return user.is_superuser or user.groups.filter(name=EDITOR_GROUP).exists()


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.TrackerAdminSite"
