"""One error format for the whole API.

Every error body is ``{"error": {"code": ..., "message": ..., "fields": {...}}}``;
``fields`` maps each invalid field to its messages (400 only).
"""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        detail = response.data
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        response.data = {
            "error": {
                "code": "invalid",
                "message": "The request contains invalid data.",
                "fields": fields,
            }
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = (
            response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        )
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else code
        response.data = {"error": {"code": code, "message": str(detail), "fields": {}}}
    return response
