"""The OpenAPI schema and its docs page, generated once per process and language.

drf-spectacular is not safe to run in several threads at once: its extensions
import their target classes lazily into class attributes on first use, and
``extend_schema`` shares one inspector per view class whose ``view`` each run
overwrites. On a fresh threaded server, parallel first requests for the schema
answered 500. Generation therefore runs under one lock, and its result is kept:
the schema changes only with the code, so a process (a deploy) computes it once
for each language it is asked in.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_urlconf
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response

_lock = threading.Lock()
_schemas: dict[tuple, dict] = {}


@receiver(setting_changed)
def _forget_schemas(*, setting, **kwargs):
    # Tests that change the URLconf or the API settings must not see the old schema.
    if setting in {"ROOT_URLCONF", "REST_FRAMEWORK", "SPECTACULAR_SETTINGS"}:
        with _lock:
            _schemas.clear()


class SchemaView(SpectacularAPIView):
    """``SpectacularAPIView`` that generates under a lock and serves the kept result."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        # The schema is public (the same for every caller); only the language and the
        # version change its text.
        key = (get_urlconf() or settings.ROOT_URLCONF, version, translation.get_language())
        with _lock:
            if key not in _schemas:
                generator = self.generator_class(
                    urlconf=self.urlconf, api_version=version, patterns=self.patterns
                )
                _schemas[key] = generator.get_schema(request=request, public=self.serve_public)
            schema = _schemas[key]  # the renderers only read it
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script served from a URL, not inline.

    The Content-Security-Policy allows scripts from this origin only; the page's
    own styles come from a static file for the same reason.
    """

    template_name = "api/swagger_ui.html"
