from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    # Until the public dashboard exists, the editors' admin is the product's front door.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
