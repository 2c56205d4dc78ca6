"""The history pages of the record's admin (django-simple-history; only the record's models
keep a history), with the revert form guarded by the change permission."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop, ngettext_lazy
from simple_history.admin import SimpleHistoryAdmin

# django-simple-history's history pages say these, and its Russian catalogue lacks them:
# they are translated in ours.
SIMPLE_HISTORY_STRINGS = (gettext_noop("Changes"), ngettext_lazy("entry", "entries", "count"))


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
