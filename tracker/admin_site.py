"""The editors' admin site: who gets in, and how a login that is being guessed is slowed down."""

import functools
import ipaddress
import math

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

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

    return EditorAuthenticationForm


class TrackerAdminSite(admin.AdminSite):
    site_header = _("ISS crew rotation tracker — editors")
    site_title = _("Crew tracker admin")
    index_title = _("The record")
    # The mission list is wide (dates, status, flags): give it the whole width.
    enable_nav_sidebar = False

    def has_permission(self, request):
        """Only editors (and superusers) may use the admin, whatever their staff flag says."""
        return is_editor(request.user)

    @property
    def login_form(self):
        return editor_login_form()

    def index(self, request, extra_context=None):
        return super().index(request, {"review_queue": review_queue(request.user), **(extra_context or {})})


def review_queue(user) -> dict | None:
    """How many news proposals wait for an editor, and the list of them; None for a user who
    may not see proposals."""
    from tracker.news.models import ProposalStatus, ProposedUpdate

    if not user.has_perm("news.view_proposedupdate"):
        return None
    url = reverse("admin:news_proposedupdate_changelist") + f"?status__exact={ProposalStatus.PENDING}"
    return {"count": ProposedUpdate.objects.filter(status=ProposalStatus.PENDING).count(), "url": url}


# django-simple-history's history pages say these, and its Russian catalogue lacks them:
# they are translated in ours.
SIMPLE_HISTORY_STRINGS = (gettext_noop("Changes"), ngettext_lazy("entry", "entries", "count"))


class TrackerAdminConfig(AdminConfig):
    default_site = "tracker.admin_site.TrackerAdminSite"


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "revert" form saves only for those who may change the object.

    django-simple-history (3.13) lets anyone who may *view* an object's history open a past
    version, and saves whatever that form posts without asking for the change permission:
    an editor granted only the view permission could rewrite a mission by posting to
    /admin/record/mission/<id>/history/<version>/ (tests/test_access.py).
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- login throttling (django-axes; settings AXES_*) ----------------------------------------


def _ip_or_none(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address a login attempt is counted against (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless BEHIND_TLS_PROXY says a proxy is the one way in: then the entry our
    proxies appended to X-Forwarded-For, TRUSTED_PROXY_COUNT from the right. Never the
    left-most entry, which the client writes itself: believing it would give a guesser a fresh
    counter per request. An unusable header falls back to REMOTE_ADDR (and a value that is not
    an address is never stored: the column is an inet on PostgreSQL).
    """
    if settings.BEHIND_TLS_PROXY:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= settings.TRUSTED_PROXY_COUNT and (
            forwarded := _ip_or_none(hops[-settings.TRUSTED_PROXY_COUNT])
        ):
            return forwarded
    return _ip_or_none(request.META.get("REMOTE_ADDR"))


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429 with Retry-After and the
    time the lockout ends, which is the last counted failure plus the cool-off (failures while
    locked out are not counted: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off)."""
    from axes.helpers import get_client_username
    from axes.models import AccessAttempt

    now = timezone.now()
    username = get_client_username(request, credentials) or ""
    last_failure = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(last=Max("attempt_time"))["last"]
    ends = (last_failure or now) + settings.AXES_COOLOFF_TIME
    retry_after = max(1, math.ceil((ends - now).total_seconds()))
    response = render(
        request,
        "axes/lockout.html",
        {
            "username": username,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
            "ends": ends,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
