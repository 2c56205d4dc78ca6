import functools

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

EDITOR_GROUP = "editor"


def is_editor(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=EDITOR_GROUP).exists())


@functools.cache
def editor_login_form():
    """The admin's login form, letting in editors rather than staff.

    Django's AdminAuthenticationForm refuses every user without is_staff, so an editor who
    is not flagged staff could never log in although has_permission() would let them in.
    (Built on first use: the admin forms import the User model, which is not ready yet
    when this module is imported to find the admin's AppConfig.)
    """
    from django.contrib.admin.forms import AdminAuthenticationForm
    from django.contrib.auth.forms import AuthenticationForm
    from django.core.exceptions import ValidationError

    class EditorAuthenticationForm(AdminAuthenticationForm):
        error_messages = {
            **AdminAuthenticationForm.error_messages,
            "invalid_login": "Please enter the correct %(username)s and password for an editor's "
            "account. Note that both fields may be case-sensitive.",
        }

        def confirm_login_allowed(self, user):
            AuthenticationForm.confirm_login_allowed(self, user)  # refuses inactive users
            if not is_editor(user):
                raise ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"username": self.username_field.verbose_name},
                )

    return EditorAuthenticationForm


class TrackerAdminSite(admin.AdminSite):
    site_header = "ISS crew rotation tracker — editors"
    site_title = "Crew tracker admin"
    index_title = "The record"
    # The mission list is wide (dates, status, flags): give it the whole width.
    enable_nav_sidebar = False

    def has_permission(self, request):
        """Only editors (and superusers) may use the admin, whatever their staff flag says."""
        return is_editor(request.user)

    @property
    def login_form(self):
        return editor_login_form()


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.TrackerAdminSite"
