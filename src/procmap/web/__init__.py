"""The workshop server (``procmap serve``): participants map alone, then the facilitator merges.

``create_app(settings)`` makes the FastAPI app; see settings.py for what it takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procmap.web.app import create_app
    from procmap.web.settings import Settings

__all__ = ["Settings", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from procmap.web.app import create_app

        return create_app
    if name == "Settings":
        from procmap.web.settings import Settings

        return Settings
    raise AttributeError(f"module 'procmap.web' has no attribute '{name}'")
