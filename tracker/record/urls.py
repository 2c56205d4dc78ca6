from django.urls import path

from . import views

app_name = "record"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("missions/", views.missions_index_view, name="missions"),
    path("missions/<slug:slug>/", views.mission_view, name="mission"),
    path("people/", views.people_index_view, name="people"),
    path("people/<slug:slug>/", views.person_view, name="person"),
    path("vehicles/", views.vehicles_index_view, name="vehicles"),
    path("vehicles/<slug:slug>/", views.vehicle_view, name="vehicle"),
    path("expeditions/", views.expeditions_view, name="expeditions"),
    path("agreement/", views.agreement_view, name="agreement"),
    path("agreement/ledger/", views.ledger_view, name="ledger"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("timeline.svg", views.timeline_svg_view, name="timeline-svg"),
    path("theme/<str:theme>/", views.theme_view, name="theme"),
]
