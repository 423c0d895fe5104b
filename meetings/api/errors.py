"""One shape for every error the API returns.

::

    {
      "status": 400,
      "errors": [
        {"location": "body", "field": "date", "code": "invalid",
         "message": "Date has wrong format. Use one of these formats instead: ..."}
      ]
    }

``location`` says where the problem is (``body``, ``query``, ``header``, or
``null`` when it concerns the request as a whole); ``field`` names the field,
with dots and list indexes for nested ones (``owners.1``), or is ``null``.
"""

from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback


class QueryValidationError(exceptions.ValidationError):
    """A query parameter (a filter, the ordering) has a value it cannot take."""


class PreconditionFailed(exceptions.APIException):
    """``If-Match`` named a version that is no longer the current one."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since the version you named."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    """The change collides with the stored data: a newer version, a row in use."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The change conflicts with the stored data."
    default_code = "conflict"


_LOCATIONS = {
    QueryValidationError: "query",
    exceptions.ValidationError: "body",
    exceptions.ParseError: "body",
    exceptions.UnsupportedMediaType: "header",
    exceptions.NotAcceptable: "header",
    PreconditionFailed: "header",
}

# The header a refusal is about, named as the field of its error.
_HEADERS = {
    exceptions.UnsupportedMediaType: "Content-Type",
    exceptions.NotAcceptable: "Accept",
    PreconditionFailed: "If-Match",
}


def exception_handler(exc, context):
    """DRF's handler, with database refusals turned into 409 and every body
    rewritten into the shape described above."""
    if isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict(
            "Other records still refer to this one; remove or reassign them first.",
            code="protected",
        )
    elif isinstance(exc, IntegrityError):
        # Serializers check uniqueness first; this is the rare race between that
        # check and the write, which the database settles.
        exc = Conflict(
            "The change would break a uniqueness or consistency rule; "
            "reload and try again.",
            code="integrity",
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    set_rollback()
    location = next(
        (where for kind, where in _LOCATIONS.items() if isinstance(exc, kind)), None
    )
    header = next(
        (name for kind, name in _HEADERS.items() if isinstance(exc, kind)), None
    )
    detail = {header: exc.detail} if header else response.data
    response.data = error_body(response.status_code, detail, location)
    return response


def form_error_details(errors) -> dict[str, list[exceptions.ErrorDetail]]:
    """A form's (or FilterSet's) errors as DRF error details, each message
    formatted by Django, so that a ``%`` typed by the user stays a ``%``."""
    return {
        field: [
            exceptions.ErrorDetail(error["message"], code=error["code"] or "invalid")
            for error in field_errors
        ]
        for field, field_errors in errors.get_json_data().items()
    }


def error_body(status_code: int, detail, location: str | None = None) -> dict:
    return {
        "status": status_code,
        "errors": [
            {"location": location, "field": field, "code": code, "message": message}
            for field, code, message in _flatten(detail)
        ],
    }


def _flatten(detail, prefix: str | None = None):
    """Yield (field, code, message) for every message in a DRF error detail."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in (api_settings.NON_FIELD_ERRORS_KEY, "detail") and not prefix:
                yield from _flatten(value, None)
            else:
                yield from _flatten(value, _join(prefix, key))
    elif isinstance(detail, list):
        nested = any(isinstance(item, (dict, list)) for item in detail)
        for index, item in enumerate(detail):
            yield from _flatten(item, _join(prefix, index) if nested else prefix)
    else:
        yield prefix, getattr(detail, "code", None) or "invalid", str(detail)


def _join(prefix: str | None, key) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def not_found(request, *args, **kwargs):
    """A JSON 404 for addresses under /api/ that name no endpoint."""
    message = f"No API endpoint at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            message += f" Addresses end with a slash: {request.path}/"
    return JsonResponse(
        error_body(404, exceptions.ErrorDetail(message, code="not_found")),
        status=404,
    )
