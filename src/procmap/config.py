"""Analysis configuration: presets, rule selection, severities, risk defaults, thresholds.

Read from ``procmap.toml`` (top level) or ``pyproject.toml`` (``[tool.procmap]``),
found in the current folder or the nearest parent, or named with ``--config``::

    preset = "recommended"          # recommended | strict | all
    ignore = ["XF005"]
    fail-on = "warning"

    [severity]
    WB001 = "error"

    [risk]                          # chance that a point goes wrong, when the map gives no `fails`
    moment-of-truth = 0.02
    break-point = 0.03
    business-rule = 0.02

    [thresholds]
    min-success = 0.75              # OI004: an outcome reached without failure less often than this
    long-wait = "1d"                # XF001 / XF004
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from procmap.errors import ConfigError
from procmap.findings import Severity
from procmap.model.durations import Duration

CONFIG_FILES = ("procmap.toml", "pyproject.toml")


class Preset(StrEnum):
    """Which rules run, before ``select`` and ``ignore``.

    * ``recommended``: every rule except the inventory ones (each Moment of Truth,
      Break Point and Business Rule; ``analyze`` shows those as a scorecard).
    * ``strict``: as recommended, with every warning raised to an error.
    * ``all``: every rule, the inventory included.
    """

    RECOMMENDED = "recommended"
    STRICT = "strict"
    ALL = "all"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class RiskDefaults(_Section):
    """Chance that a point goes wrong when the map gives no ``fails`` (seed 001)."""

    moment_of_truth: float = Field(0.02, ge=0, le=1, alias="moment-of-truth")
    break_point: float = Field(0.03, ge=0, le=1, alias="break-point")
    business_rule: float = Field(0.02, ge=0, le=1, alias="business-rule")
    step: float = Field(0.0, ge=0, le=1, description="Any other step")


class Thresholds(_Section):
    """Limits the rules measure against."""

    min_success: float = Field(0.75, ge=0, le=1, alias="min-success")
    long_wait: Duration = Field(timedelta(days=1), alias="long-wait")
    similarity: float = Field(85.0, ge=50, le=100)
    task_level_duration: Duration = Field(timedelta(minutes=2), alias="task-level-duration")
    min_efficiency: float = Field(0.25, ge=0, le=1, alias="min-efficiency")
    bottleneck_share: float = Field(0.4, ge=0, le=1, alias="bottleneck-share")


class Config(_Section):
    """Everything that tunes an analysis; the defaults suit most maps."""

    preset: Preset = Preset.RECOMMENDED
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Severity = Field(Severity.ERROR, alias="fail-on")
    risk: RiskDefaults = Field(default_factory=RiskDefaults)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    source: str | None = Field(default=None, exclude=True)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``procmap.toml``, or ``pyproject.toml`` with a ``[tool.procmap]``."""
    folder = (start or Path.cwd()).resolve()
    if folder.is_file():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name == "procmap.toml" or b"[tool.procmap" in path.read_bytes()):
                return path
    return None


def load_config(path: Path | None = None, *, search_from: Path | None = None) -> Config:
    """Read a configuration file; with no ``path``, the nearest one, else defaults.

    Raises:
        ConfigError: the file cannot be read or has unknown or wrong settings.
    """
    if path is None:
        path = find_config(search_from)
        if path is None:
            return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("procmap", {})
    return config_from_dict(data, source=str(path))


def config_from_dict(data: dict[str, Any], *, source: str = "configuration") -> Config:
    """Validate settings given as a dict (as read from TOML)."""
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            where = ".".join(str(p) for p in error["loc"])
            problems.append(f"{source}: {where}: {error['msg']}")
        raise ConfigError("\n".join(problems)) from None
    return config.model_copy(update={"source": source})

