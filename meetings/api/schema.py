"""The OpenAPI description of the API, made exact where inference falls short.

drf-spectacular infers the successful responses; this module adds what it
cannot see: the error responses each operation can give (all in the shape of
``meetings.api.errors``), the ``If-Match`` request header and the ``ETag``
response header of versioned resources.
"""

from drf_spectacular.drainage import set_override
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from meetings.filters import ActionItemFilter, IdFilter, MeetingFilter, YearFilter
from meetings.models import VersionedModel

# Filters that work through a method name no model field, so their type cannot
# be inferred; they are spelled out here instead.
_FILTER_TYPES = {
    (MeetingFilter, "attendee"): OpenApiTypes.INT,
    (MeetingFilter, "organisation"): OpenApiTypes.INT,
    (ActionItemFilter, "owner"): OpenApiTypes.INT,
    (ActionItemFilter, "organisation"): OpenApiTypes.INT,
    (ActionItemFilter, "overdue"): {"type": "string", "enum": ["true", "false"]},
}
for (filterset, name), kind in _FILTER_TYPES.items():
    set_override(filterset.base_filters[name], "field", kind)
set_override(IdFilter, "field", {"type": "integer", "minimum": 1})
set_override(YearFilter, "field", {"type": "integer", "minimum": 1900, "maximum": 2200})


class ErrorItemSerializer(serializers.Serializer):
    """One problem with a request."""

    location = serializers.ChoiceField(
        choices=["body", "query", "header"],
        allow_null=True,
        help_text="Where the problem is; null when it is the request as a whole.",
    )
    field = serializers.CharField(
        allow_null=True,
        help_text="The field or parameter, dotted for nested ones (owners.1).",
    )
    code = serializers.CharField(help_text="A stable code, e.g. invalid, required.")
    message = serializers.CharField(help_text="A sentence for people.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    errors = ErrorItemSerializer(many=True)


_DESCRIPTIONS = {
    400: "The request is malformed: invalid JSON, an unknown or invalid field, "
    "or an invalid query parameter. Each problem is listed.",
    401: "Authentication is required (send a token or log in).",
    403: "You are logged in but your role does not allow this.",
    404: "No such resource among those you may read (or no such page).",
    409: "A conflict: the version you sent is stale, or the change collides with "
    "other records (e.g. deleting a row still referred to).",
    412: "If-Match names a version that is no longer the current one.",
}

_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        'The ETag you read, e.g. "3". The change is made only if it is still '
        "the current version; otherwise 412 and nothing changes."
    ),
)
_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The version of the resource returned, quoted; send it as If-Match.",
)


class MinutesAutoSchema(AutoSchema):
    """Adds error responses and version headers to every operation."""

    def _versioned(self) -> bool:
        queryset = getattr(self.view, "queryset", None)
        return queryset is not None and issubclass(queryset.model, VersionedModel)

    def _is_detail(self) -> bool:
        return "{id}" in self.path

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if not self._versioned():
            return parameters
        if self.method in ("PUT", "PATCH", "DELETE") or (
            self.method == "POST" and self._is_detail()
        ):
            parameters = [*parameters, _IF_MATCH]
        if self.method != "DELETE" and (self._is_detail() or self.method == "POST"):
            parameters = [*parameters, _ETAG]
        return parameters

    def _error_codes(self) -> list[int]:
        codes = [401, 403]
        if self.method == "GET" and not self._is_detail():
            codes += [400, 404]
        elif self.method == "GET":
            codes += [404]
        elif self.method == "POST" and not self._is_detail():
            codes += [400, 409]
        else:
            codes += [404, 409]
            if self.method != "DELETE":
                codes += [400]
            if self._versioned():
                codes += [412]
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            error = OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS[code])
            responses.setdefault(
                str(code), self._get_response_for_code(error, str(code))
            )
        return responses


# Response fields that are present only for some callers.
_CONDITIONAL_FIELDS = {"email"}


def require_response_fields(result, generator, request, public):
    """Mark every field of a response component as required.

    A response always carries all its fields; drf-spectacular marks only the
    read-only ones as required, which would let clients (and schema checks)
    assume fields may be missing. ``email`` stays optional: only staff get it.
    """
    schemas = result.get("components", {}).get("schemas", {})
    for name, schema in schemas.items():
        if name.endswith("Request") or "properties" not in schema:
            continue
        if name.startswith("Paginated"):
            continue
        required = [
            field for field in schema["properties"] if field not in _CONDITIONAL_FIELDS
        ]
        if required:
            schema["required"] = required
    return result
