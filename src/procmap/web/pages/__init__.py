"""The HTML pages: server-rendered (Jinja2, autoescape), small vanilla JS, nothing from a CDN.

Every page calls the same ``services`` as the JSON API.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from procmap.web.pages import accounts, processes, workshops
from procmap.web.pages.report import report_script
from procmap.web.permissions import action


def router() -> APIRouter:
    """Every page router."""
    pages = APIRouter(include_in_schema=False)
    for module in (accounts, processes, workshops):
        pages.include_router(module.router)

    @pages.get("/assets/report.js", openapi_extra=action("public"))
    def report_js() -> Response:
        """The report's script (diagram overlays, findings linked to the diagram), served from
        the server because the Content-Security-Policy allows no inline script."""
        return Response(report_script(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=3600"})

    return pages
