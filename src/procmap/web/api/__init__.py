"""The JSON API (all under /api): one router module per resource."""

from __future__ import annotations

from fastapi import APIRouter

from procmap.web.api import accounts, comments, drafts, processes, versions, workshops


def router() -> APIRouter:
    """Every API router, under /api."""
    api = APIRouter(prefix="/api")
    for module in (accounts, processes, versions, workshops, drafts, comments):
        api.include_router(module.router)
    return api
