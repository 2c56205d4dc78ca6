"""The editors' admin site: who gets in (editors, whatever their staff flag), and what its
index shows them (the news proposals waiting for review).

Django imports this module in the admin's ready() (admin_config.py names the site by dotted
path), so the apps are ready here and the login form can import the User model's forms.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tracker.news.models import ProposalStatus, ProposedUpdate

EDITOR_GROUP = "editor"


def is_editor(user) -> bool:
    return user.is_active and (user.is_superuser or user.groups.filter(name=EDITOR_GROUP).exists())


class EditorAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, letting in editors rather than staff.

    Django's AdminAuthenticationForm refuses every user without is_staff, so an editor who
    is not flagged staff could never log in although has_permission() would let them in.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the correct %(username)s and password for an editor's "
            "account. Note that both fields may be case-sensitive."
        ),
    }

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # refuses inactive users
        if not is_editor(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class TrackerAdminSite(admin.AdminSite):
    site_header = _("ISS crew rotation tracker — editors")
    site_title = _("Crew tracker admin")
    index_title = _("The record")
    # The mission list is wide (dates, status, flags): give it the whole width.
    enable_nav_sidebar = False
    login_form = EditorAuthenticationForm

    def has_permission(self, request):
        """Only editors (and superusers) may use the admin, whatever their staff flag says."""
        return is_editor(request.user)

    def index(self, request, extra_context=None):
        return super().index(request, {"review_queue": review_queue(request.user), **(extra_context or {})})


def review_queue(user) -> dict | None:
    """How many news proposals wait for an editor, and the list of them; None for a user who
    may not see proposals."""
    if not user.has_perm("news.view_proposedupdate"):
        return None
    url = reverse("admin:news_proposedupdate_changelist") + f"?status__exact={ProposalStatus.PENDING}"
    return {"count": ProposedUpdate.objects.filter(status=ProposalStatus.PENDING).count(), "url": url}
