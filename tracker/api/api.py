"""The read-only JSON API: one NinjaAPI, a router per domain. Schema at /api/openapi.json,
interactive docs at /api/docs (Swagger UI from our own static files)."""

import datetime as dt
import functools

from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from .caching import conditional_cached
from .language import reader_words, requested_language
from .news_routes import router as news_router
from .record_routes import router as record_router


class UtcJSONEncoder(NinjaJSONEncoder):
    """A time of day with its UTC offset, '12:40:00Z': the schema's `time` format (RFC 3339)
    requires the offset, and Django's encoder refuses any time that has one."""

    def default(self, o):
        if isinstance(o, dt.time) and o.utcoffset() == dt.timedelta(0):
            return o.replace(tzinfo=None).isoformat() + "Z"
        return super().default(o)


class Utf8JSONRenderer(JSONRenderer):
    # Cyrillic names as themselves, not \u escapes: readable, and a third smaller.
    json_dumps_params = {"ensure_ascii": False}
    encoder_class = UtcJSONEncoder


def plain_strings(value):
    """`value` (a schema) with its lazily translated texts (descriptions, summaries) made
    plain strings in the active language, as JSON and schema tools expect; dicts in place."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = plain_strings(item)
        return value
    if isinstance(value, list):
        return [plain_strings(item) for item in value]
    return value


class TrackerApi(NinjaAPI):
    """The API whose docs (/api/docs, /api/openapi.json) are in the request's language: the
    descriptions are marked for translation and resolved when the schema is built."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return plain_strings(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = TrackerApi(
    renderer=Utf8JSONRenderer(),
    title=gettext_lazy("ISS crew rotation tracker API"),
    version="1",
    description=gettext_lazy(
        "Read-only access to the record of ISS crew rotations and the Roscosmos–NASA integrated crew "
        "flights (seat-swap) agreement. Lists are paginated (`limit`, `offset`) in a stable order; list "
        "filters take comma-separated values. Every response carries an ETag and Last-Modified; send "
        "If-None-Match or If-Modified-Since to get 304 Not Modified. Instants are UTC; an instant known "
        "only roughly comes with its precision and is the start of its window. A mission's event time carries "
        "its certainty: 'confirmed' (it happened), 'target' (announced, not yet happened) or 'net' (a target "
        "no earlier than), with `net` and `overdue` (a target that passed unconfirmed) flags. Human-readable "
        "fields (those that put a time or a change in words) follow `?lang=` (en, ru) or Accept-Language; "
        "every other field is the same in every language."
    ),
    urls_namespace="api",
)
api.add_router("", record_router)
api.add_router("", news_router)


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    # One error shape for every 400: {"detail": "<parameter>: <problem>"}.
    problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', [])[1:])}: {e.get('msg')}" for e in exc.errors)
    return api.create_response(request, {"detail": problems or "invalid parameters"}, status=400)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    with translation.override(requested_language(request)):
        return api.create_response(request, {"detail": gettext("Not found.")}, status=404)


class EndpointOut(Schema):
    path: str  # an OpenAPI path template: /api/missions/{slug}
    url: str  # absolute; with the {placeholders} of the path still in it
    methods: list[str]
    summary: str
    description: str


class ApiIndexOut(Schema):
    title: str
    version: str
    description: str
    docs: str
    openapi: str
    endpoints: list[EndpointOut]


@functools.cache
def _operations(prefix: str, language: str) -> tuple[dict, ...]:
    """Every operation in the schema (so a new route lists itself), built once per process
    and language (their summaries and descriptions are in it)."""
    paths = api.get_openapi_schema(path_prefix=prefix)["paths"]
    return tuple(
        {
            "path": path,
            "methods": [method.upper() for method in operations],
            "summary": next(iter(operations.values())).get("summary", ""),
            "description": next(iter(operations.values())).get("description", ""),
        }
        for path, operations in paths.items()
        if path != prefix  # not this index itself
    )


@api.get(
    "",
    response=ApiIndexOut,
    url_name="index",
    summary=gettext_lazy("API index"),
    description=gettext_lazy("This list: every endpoint, with links to the interactive docs and the OpenAPI schema."),
)
@decorate_view(conditional_cached())
def api_index(request):
    prefix = reverse("api:index")
    origin = f"{request.scheme}://{request.get_host()}"  # not build_absolute_uri: it would escape the {braces}
    with reader_words():  # the index's texts are words: the reader's language
        title, description = str(api.title), str(api.description)
        operations = _operations(prefix, translation.get_language())
    return {
        "title": title,
        "version": api.version,
        "description": description,
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "endpoints": [{**operation, "url": origin + operation["path"]} for operation in operations],
    }
