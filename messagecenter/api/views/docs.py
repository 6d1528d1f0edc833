"""The OpenAPI schema (JSON first, YAML on request) and its documentation page."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class SchemaView(SpectacularAPIView):
    """JSON is what tools and the documentation page read; errors come as JSON too."""

    renderer_classes = [
        OpenApiJsonRenderer,
        OpenApiJsonRenderer2,
        OpenApiYamlRenderer,
        OpenApiYamlRenderer2,
    ]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files (drf-spectacular-sidecar), never a CDN.

    The split view serves its start-up script from this URL (``?script``) instead of
    inline, and our template has no inline style: nothing needs 'unsafe-inline'.
    """

    url_name = "api:schema"
    template_name = "api/swagger_ui.html"


@csrf_exempt  # it changes nothing, and a POST to a wrong path deserves the JSON answer too
def api_not_found(request: HttpRequest, unmatched: str = "") -> JsonResponse:
    """Any other path under /api/v1/: a 404 in the API's error shape, not an HTML page."""
    return JsonResponse(
        {
            "code": "not_found",
            "message": _("There is no such API operation; see /api/v1/docs/."),
            "details": {},
        },
        status=404,
    )
