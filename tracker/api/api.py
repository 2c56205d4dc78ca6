"""The read-only JSON API: one NinjaAPI, routers by domain."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="ISS crew rotation tracker API",
    version="1",
    description="Read-only access to the Roscosmos–NASA integrated crew flights record.",
    urls_namespace="api",
)
