from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordConfig(AppConfig):
    """The flight record: agencies, people, vehicles, missions, seats and the agreement."""

    name = "tracker.record"
    label = "record"
    verbose_name = _("Flight record")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .version import bump_record_version

        # Cache invalidation is the one job done by signal: every write path (admin,
        # reference loader, accepted news proposals, a shell) must drop the cached pages,
        # and saving a model is the one place they all pass through.
        for model in self.get_models():
            if model._meta.app_label == self.label and not model.__name__.startswith("Historical"):
                post_save.connect(bump_record_version, sender=model, dispatch_uid=f"page-cache-{model.__name__}")
                post_delete.connect(bump_record_version, sender=model, dispatch_uid=f"page-cache-del-{model.__name__}")
        m2m_changed.connect(bump_record_version, dispatch_uid="page-cache-m2m")
