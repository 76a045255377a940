"""Runs the selected rules over maps, isolates crashes, adds severity and location."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from procmap.config import Config, Preset
from procmap.errors import ConfigError, SourceLocation
from procmap.findings import Finding, Severity
from procmap.io.yaml_loader import paused_gc
from procmap.model.catalog import Catalog
from procmap.model.checks import did_you_mean
from procmap.model.process import Process
from procmap.rules import all_rules, matching_rules
from procmap.rules.base import Context, Rule
from procmap.source import SourceMap

RULE_ERROR = "rule-error"
Target = Process | Catalog | Sequence[tuple[Process, SourceMap | None]]


def selected_rules(
    config: Config, *, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Rule]:
    """The rules to run: the preset's, narrowed by ``select`` and less ``ignore``.

    ``select`` and ``ignore`` take ids (``XF002``), names (``ping-pong``) or family
    prefixes (``XF``); arguments override the configuration's lists.

    Raises:
        ConfigError: a key names no rule.
    """
    select = tuple(select) or config.select
    ignore = tuple(ignore) or config.ignore
    if config.preset is Preset.ALL or select:
        rules = list(all_rules())
    else:
        rules = [r for r in all_rules() if not r.inventory]
    if select:
        chosen = {r.id for key in select for r in _expand(key)}
        rules = [r for r in rules if r.id in chosen]
    dropped = {r.id for key in ignore for r in _expand(key)}
    return [r for r in rules if r.id not in dropped]


def _expand(key: str) -> list[Rule]:
    found = matching_rules(key)
    if not found:
        names = [r.id for r in all_rules()] + [r.name for r in all_rules()]
        hint = did_you_mean(key, names)
        raise ConfigError(f"'{key}' is not a rule id, name or family" + (f" ({hint})" if hint else ""))
    return found


def severity_of(rule: Rule, config: Config) -> Severity:
    """A rule's severity: the configuration's override, else its default (strict: raised)."""
    for key in (rule.id, rule.name, *rule.aliases):
        if key in config.severity:
            return config.severity[key]
    if config.preset is Preset.STRICT and rule.default_severity is Severity.WARNING:
        return Severity.ERROR
    return rule.default_severity


def _maps(target: Target) -> tuple[list[tuple[Process, SourceMap | None]], Catalog | None]:
    if isinstance(target, Process):
        return [(target, None)], None
    if isinstance(target, Catalog):
        return [(p, target.sources.get(p.process)) for p in target], target
    return list(target), None


def check(
    target: Target,
    *,
    config: Config | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    extra_rules: Sequence[Rule] = (),
) -> list[Finding]:
    """Run the rules on a process, a catalog, or several loaded maps.

    Returns the findings, most severe first, then by file, line and rule. A rule
    that crashes yields one ``rule-error`` finding instead of stopping the run.
    ``extra_rules`` are a team's own rules, run beside procmap's (``select``
    may name them).

    Example:
        >>> findings = procmap.check(procmap.load("examples/lead-to-cash.yaml"))  # doctest: +SKIP
        >>> findings[0].rule, findings[0].message  # doctest: +SKIP
    """
    with paused_gc():
        return _check(target, config or Config(), select, ignore, extra_rules)


def _check(
    target: Target, config: Config, select: Iterable[str], ignore: Iterable[str],
    extra_rules: Sequence[Rule] = (),
) -> list[Finding]:
    select = tuple(select)
    own = {key for r in extra_rules for key in (r.id, r.name)}
    known = tuple(k for k in select if k not in own)
    rules = selected_rules(config, select=known, ignore=ignore) if known or not select else []
    rules += [r for r in extra_rules if not select or r.id in select or r.name in select]
    maps, catalog = _maps(target)
    loaded = {p.process: p for p, _ in maps}
    sources = {p.process: s for p, s in maps}
    findings: list[Finding] = []
    contexts = {
        p.process: Context(process=p, config=config, catalog=catalog, loaded=loaded) for p, _ in maps
    }
    severities = {rule.id: severity_of(rule, config) for rule in rules}
    for rule in rules:
        for process, _ in maps:
            ctx = contexts[process.process]
            findings.extend(_run(rule, process.process, rule.check, process, ctx))
        if maps:
            ctx = next(iter(contexts.values()))
            findings.extend(_run(rule, "", rule.check_catalog, loaded, ctx))
    located = [_finish(f, severities, loaded, sources) for f in findings]
    return sorted(located, key=Finding.sort_key)


def _run(rule: Rule, process: str, produce: Callable[..., Iterable[Finding]], *args: object) -> list[Finding]:
    """``produce(*args)``'s findings; a crash becomes one ``rule-error`` finding."""
    try:
        found = list(produce(*args))
    except Exception as exc:  # a bug in one rule must not sink the run
        return [
            Finding(
                rule=rule.id,
                name=RULE_ERROR,
                message=f"Rule {rule.id} ({rule.name}) failed: {type(exc).__name__}: {exc}",
                process=process,
                severity=Severity.ERROR,
            )
        ]
    if process:
        return [f if f.process else f.with_(process=process) for f in found]
    return found


def _finish(
    finding: Finding,
    severities: dict[str, Severity],
    loaded: dict[str, Process],
    sources: dict[str, SourceMap | None],
) -> Finding:
    """The finding with its configured severity and its place in the source."""
    changes: dict[str, object] = {}
    if finding.name != RULE_ERROR:
        changes["severity"] = severities[finding.rule]
    process = loaded.get(finding.process)
    source = sources.get(finding.process)
    if source is not None and process is not None:
        changes["location"] = locate_element(process, source, finding.elements)
    return finding.with_(**changes) if changes else finding


def locate_element(process: Process, source: SourceMap, elements: tuple[str, ...]) -> SourceLocation:
    """Where the first element stands: a step, outcome or actor; else the process id."""
    if elements:
        primary = elements[0]
        for collection, items in (
            ("steps", process.steps),
            ("outcomes", process.outcomes),
            ("actors", process.actors),
        ):
            if primary in items:
                return source.key((collection, primary))
    return source.value(("process",))


def has_rule_errors(findings: Iterable[Finding]) -> bool:
    """Whether a rule crashed during the run."""
    return any(f.name == RULE_ERROR for f in findings)
