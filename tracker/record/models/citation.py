from django.db import models
from simple_history.models import HistoricalRecords


class Citation(models.Model):
    """A public page that a fact in the record comes from."""

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.title or self.url
