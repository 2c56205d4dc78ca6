from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Citation(models.Model):
    """A public page that a fact in the record comes from."""

    url = models.URLField(_("URL"), max_length=1000, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["url"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return self.title or self.url
