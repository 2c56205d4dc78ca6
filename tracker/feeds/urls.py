from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("crew-events.ics", views.crew_events_view, name="crew-events"),
    path("updates.atom", views.updates_view, name="updates"),
    path("news.atom", views.news_view, name="news"),
]
