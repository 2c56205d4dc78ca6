from django.urls import path

from . import views

app_name = "record"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("missions/<slug:slug>/", views.mission_view, name="mission"),
    path("people/<slug:slug>/", views.person_view, name="person"),
    path("vehicles/<slug:slug>/", views.vehicle_view, name="vehicle"),
    path("agreement/", views.agreement_view, name="agreement"),
    path("agreement/ledger/", views.ledger_view, name="ledger"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("timeline.svg", views.timeline_svg_view, name="timeline-svg"),
    path("theme/<str:theme>/", views.theme_view, name="theme"),
]
