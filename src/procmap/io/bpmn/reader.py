"""BPMN 2.0 XML → :class:`Process`: what modelers export, as a procmap map.

Mapping:

* lanes (the innermost of nested lane sets) and, where a pool has no lanes,
  pools (participants) → actors; a lane or pool named like a customer
  (customer, client, applicant, …) becomes an actor of kind ``customer``; an
  unnamed lane is ``lane-1``, ``lane-2``, …, an unnamed pool the actor of its
  process, named as the process is (``process`` where that has no name either);
* tasks of every type → task steps, the BPMN task type kept as a channel hint
  (user → app, manual → in-person, send/receive → email) and in the note; a
  business rule task carries its name (or documentation) as the step's ``rule``;
* step ids are made from the names (``Check the invoice`` → ``check-the-invoice``,
  unique in the map, the same for the same file); an element without a name gets
  one from its kind and place in the file: ``split-1`` and ``join-1`` for parallel
  gateways that fork or join, ``decision-1``, ``task-1``, ``wait-1``,
  ``subprocess-1``, and ``start`` and ``end`` (numbered where there are several);
  the element's own id is kept in ``bpmn-id`` and written again by the export;
* parallel gateways → ``parallel`` steps (forks and joins alike, named when the
  gateway is); diverging exclusive, event-based and complex gateways →
  decisions, their outgoing flows → branches labelled by the flow's name (or
  condition); an inclusive gateway (one or more ways out taken) is a decision, or
  a parallel step when none of its ways out has a condition (then BPMN takes them
  all), with a note saying so; converging exclusive, inclusive and complex
  gateways (merges: at most one way out) are passed over, their incoming steps
  linked straight to the step after them, as a map leaves such merges implicit;
* start, end and intermediate events → start, end and wait steps; boundary
  events → wait steps that follow the activity they are attached to;
* sub-processes and call activities → subprocess steps (``calls`` the called
  element); the contents of an expanded sub-process become a child map of its
  own (``part-of`` the imported map, and the step ``calls`` it), in
  :attr:`BpmnImport.children`;
* sequence flows → flows; message flows between two flow nodes → flows (the
  hand-offs between pools);
* documentation and text annotations → notes, HTML reduced to its text;
* a file that ``procmap export`` wrote carries procmap's own fields as extension
  elements (:mod:`procmap.io.bpmn.extensions`): they restore the map's ids,
  kinds, fields, outcomes and how each flow was written, and the events and
  gateways the export added are passed over.

What cannot be mapped is reported as a located warning, never dropped silently:
pools without a process, empty pools, empty lane sets, elements that are not
BPMN, and diagram problems (a plane or shape pointing to an element the file does
not hold, an element drawn twice). A file that cannot give a map is refused with
a located message: no BPMN namespace, an id used twice, no process, no steps and
no pools or lanes to keep as actors. Parsing is safe: no DTD, no entities, no
network, a size limit.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from procmap.errors import ConfigError, LoadError, MapError, SourceLocation
from procmap.io.bpmn import extensions as ext
from procmap.model.checks import reference_problems
from procmap.model.names import slug
from procmap.model.process import ID_PATTERN, Actor, Outcome, Process, Step, humanize

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
MAX_BYTES = 64 * 1024 * 1024
CUSTOMER_WORDS = re.compile(
    r"\b(customers?|clients?|applicants?|patients?|buyers?|consumers?|citizens?|guests?|"
    r"passengers?|members?|students?|shoppers?|prospects?|leads?)\b",
    re.IGNORECASE,
)
TASKS = {
    "task": None, "userTask": "app", "manualTask": "in-person", "serviceTask": None,
    "sendTask": "email", "receiveTask": "email", "scriptTask": None, "businessRuleTask": None,
}
DECISIONS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
JOINS = {"parallelGateway"}
"""Parallel gateways: imported as ``parallel`` steps (the name is kept for callers)."""
GATEWAYS = DECISIONS | JOINS
EVENTS = {"startEvent": "start", "endEvent": "end", "intermediateThrowEvent": "wait",
          "intermediateCatchEvent": "wait", "boundaryEvent": "wait"}
SUBPROCESSES = {"subProcess", "callActivity", "transaction", "adHocSubProcess"}
IGNORED = {"laneSet", "lane", "childLaneSet", "flowNodeRef", "incoming", "outgoing",
           "extensionElements", "documentation", "dataObject", "dataObjectReference",
           "dataStoreReference", "dataInputAssociation", "dataOutputAssociation",
           "ioSpecification", "property", "association", "textAnnotation", "group",
           "sequenceFlow", "category", "categoryValue", "dataInput", "dataOutput",
           "inputSet", "outputSet", "standardLoopCharacteristics",
           "multiInstanceLoopCharacteristics", "text", "conditionExpression"}
# what definitions may hold besides processes and collaborations
ROOT_ELEMENTS = {"process", "collaboration", "message", "signal", "error", "escalation",
                 "itemDefinition", "dataStore", "interface", "category", "resource",
                 "partnerEntity", "partnerRole", "eventDefinition", "timerEventDefinition",
                 "messageEventDefinition", "signalEventDefinition", "errorEventDefinition",
                 "escalationEventDefinition", "conditionalEventDefinition",
                 "compensateEventDefinition", "terminateEventDefinition",
                 "linkEventDefinition", "cancelEventDefinition", "import", "extension",
                 "extensionElements", "documentation", "relationship", "choreography",
                 "conversation", "globalTask", "globalUserTask", "globalManualTask",
                 "globalScriptTask", "globalBusinessRuleTask", "correlationProperty",
                 "endPoint", "operation", "dataStoreReference", "BPMNDiagram"}
HTML_BREAKS = {"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"}
HTML_TAGS = HTML_BREAKS | {"b", "i", "u", "em", "strong", "span", "a", "ul", "ol", "table", "tbody",
                           "thead", "font", "small", "big", "sub", "sup", "code", "pre", "blockquote",
                           "hr", "img", "s", "strike", "del", "ins", "mark", "label", "section"}
"""Markup modelers write in documentation; a text with any other tag is read as plain text."""
MAX_ID_SLUG = 60


@dataclass
class BpmnImport:
    """A BPMN file as a map, with the warnings about what could not be mapped."""

    process: Process
    warnings: list[MapError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """What the file held: pools, lanes, tasks, gateways, events, sub, sequence/message flows."""
    children: list[Process] = field(default_factory=list)
    """The contents of expanded sub-processes, one map each, nested ones included."""


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def safe_id(raw: str) -> str:
    """A BPMN id as a procmap id: letters, digits and - _ . : only."""
    text = re.sub(r"[^A-Za-z0-9_.:-]+", "-", raw.strip())
    if not text or not re.match(r"[A-Za-z0-9_]", text):
        text = "_" + text
    return text[:200]


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None



def name_id(name: str | None) -> str:
    """A step id from a step's name: its slug, cut at a word under MAX_ID_SLUG letters."""
    text = slug(name or "")
    if len(text) > MAX_ID_SLUG:
        text = text[:MAX_ID_SLUG].rsplit("-", 1)[0]
    return text


def plain_text(text: str | None) -> str | None:
    """Documentation as one line of text: HTML markup (``<p>``, ``<b>``, …) reduced to its text."""
    if text is None:
        return None
    if "<" in text and ">" in text or "&" in text:
        import lxml.html
        from lxml import etree

        try:
            fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return _clean(text)
        if any(not isinstance(e.tag, str) or e.tag.lower() not in HTML_TAGS
               for e in fragment.iter() if e is not fragment):
            return _clean(text)  # "<v2>" is text, not markup: kept as it is written
        for element in fragment.iter():
            if isinstance(element.tag, str) and element.tag.lower() in HTML_BREAKS:
                element.tail = " " + (element.tail or "")
        text = fragment.text_content()
    return _clean(text)


def parse_xml(data: bytes, file: str):  # type: ignore[no-untyped-def]
    """Parse BPMN XML safely: no DTD or entities, no network, no huge trees."""
    from lxml import etree

    where = SourceLocation(file)
    if len(data) > MAX_BYTES:
        raise LoadError([MapError(where, None, f"is larger than {MAX_BYTES // 2**20} MiB")])
    # entities are never expanded nor DTDs loaded; a DTD the parser finds (in any
    # encoding, anywhere before the root) refuses the file
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        if "entity" in str(exc.msg).lower() and _has_dtd(data):
            raise LoadError([_dtd_refused(file)]) from None
        raise LoadError([MapError(SourceLocation(file, line, column + 1), None,
                                  f"is not well-formed XML: {exc.msg}")]) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise LoadError([_dtd_refused(file)])
    if _local(root.tag) == "definitions" and etree.QName(root).namespace is None:
        raise LoadError([MapError(SourceLocation(file, root.sourceline or 1), None,
                                  "has no BPMN namespace: <definitions> and the elements in it "
                                  "must be in the BPMN 2.0 namespace",
                                  f'add xmlns="{BPMN}" to <definitions>')])
    if _local(root.tag) != "definitions" or etree.QName(root).namespace != BPMN:
        raise LoadError([MapError(SourceLocation(file, root.sourceline or 1), None,
                                  "is not BPMN 2.0 (no bpmn:definitions element)")])
    return root


def _dtd_refused(file: str) -> MapError:
    return MapError(SourceLocation(file), None, "has a DTD or entity declarations, which procmap "
                    "refuses to read (they can expand without end or read other files)")


def _has_dtd(data: bytes) -> bool:
    """Whether the XML declares a DTD, asked of a parser that keeps the DTD and expands nothing."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=True)
    try:
        tree = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return False
    if tree is None:
        return False
    info = tree.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None


def read_bpmn(path: str | os.PathLike[str], *, customer_pattern: str | None = None) -> BpmnImport:
    """Import a BPMN 2.0 file (see the module docstring for the mapping).

    The file's size is checked before it is read; a device is refused.
    """
    from procmap.io.yaml_loader import read_capped

    data = read_capped(path, MAX_BYTES, "a BPMN file", noun="a BPMN file")
    return read_bpmn_bytes(data, file=str(path), customer_pattern=customer_pattern)


def read_bpmn_bytes(
    data: bytes, *, file: str = "<upload>.bpmn", customer_pattern: str | None = None
) -> BpmnImport:
    """Import BPMN 2.0 XML held in memory (an upload); ``file`` names it in messages.

    Example:
        >>> result = procmap.read_bpmn_bytes(xml, file="claims.bpmn")  # doctest: +SKIP
        >>> result.process.steps  # doctest: +SKIP
    """
    from procmap.io.yaml_loader import paused_gc

    root = parse_xml(data, file)
    _refuse_duplicate_ids(root, file)
    with paused_gc():  # millions of small objects and no cycles: the collector made it quadratic
        return _Importer(root, file, customer_pattern).run(Path(file).stem)


def _refuse_duplicate_ids(root: Any, file: str) -> None:
    """An id used twice: refused, naming the id and both lines (references would be guesses)."""
    first: dict[str, Any] = {}
    errors = []
    for element in root.iter(f"{{{BPMN}}}*"):
        key = element.get("id")
        if not key:
            continue
        if key in first:
            errors.append(MapError(
                SourceLocation(file, element.sourceline or 0), None,
                f"the id '{key}' is used twice, by the {_local(first[key].tag)} at line "
                f"{first[key].sourceline} and the {_local(element.tag)} at line "
                f"{element.sourceline}", "every BPMN element needs an id of its own"))
        else:
            first[key] = element
    if errors:
        raise LoadError(errors)


class _Importer:
    def __init__(self, root: Any, file: str, customer_pattern: str | None) -> None:
        self.root = root
        self.file = file
        try:
            self.customer = re.compile(customer_pattern, re.IGNORECASE) if customer_pattern else CUSTOMER_WORDS
        except re.error as exc:
            raise ConfigError(f"--customer '{customer_pattern}': not a regular expression ({exc})") from None
        self.warnings: list[MapError] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.actors: dict[str, dict[str, Any]] = {}
        self.lane_of: dict[str, str] = {}
        self.steps: dict[str, dict[str, Any]] = {}
        self.kind_of: dict[str, str] = {}
        self.flows: list[tuple[str, str, str | None, Any]] = []
        self.ids: dict[str, str] = {}
        self.records: dict[tuple[str, str], Any] = {}
        """procmap:flow records of an exported file: (source id, target id) → element."""
        self.added: set[str] = set()
        self.restored: set[str] = set()
        self.inner: list[tuple[str, Any, str, str | None]] = []
        """Expanded sub-processes: (BPMN id, element, actor, name)."""

    def warn(self, element: Any, what: str) -> None:
        self.warnings.append(MapError(SourceLocation(self.file, element.sourceline or 0), None, what))

    def sid(self, raw: str) -> str:
        if raw not in self.ids:
            candidate = safe_id(raw)
            while candidate in self.ids.values():
                candidate += "_"
            self.ids[raw] = candidate
        return self.ids[raw]

    def _step_ids(self, raws: list[str], restored: set[str], kinds: dict[str, str]) -> None:
        """Ids from names, unique, in file order; the BPMN id kept in ``bpmn-id``.

        Restored steps (of a file procmap exported) keep the map's ids, taken first;
        then the named steps take the ids made from their names, and the steps without a
        name get one made from their kind and place (:meth:`_unnamed_ids`).
        """
        taken = {self.ids[raw] for raw in restored if raw in self.ids}
        fresh = [raw for raw in raws if not (raw in restored and raw in self.ids)]
        named = {raw: name_id(self.steps[raw].get("name")) for raw in fresh}
        wanted = {raw: base for raw, base in named.items() if base}
        for raw, base in wanted.items():
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            taken.add(candidate)
            self.ids[raw] = candidate
        self._unnamed_ids([raw for raw in fresh if raw not in wanted], kinds, taken)
        for raw in fresh:
            if self.ids[raw] != raw and re.match(ID_PATTERN, raw) and len(raw) <= 200:
                self.steps[raw]["bpmn-id"] = raw

    def _unnamed_ids(self, raws: list[str], kinds: dict[str, str], taken: set[str]) -> None:
        """Ids a workshop can read for steps without a name, numbered in file order.

        A parallel gateway that forks is ``split-1``, one that joins ``join-1`` (one that
        does both, ``parallel-1``); a decision ``decision-1``, a task ``task-1``, a wait
        ``wait-1``, a sub-process ``subprocess-1``; a start or end event is ``start`` or
        ``end``, numbered where the map has several.
        """
        ways_in: dict[str, int] = defaultdict(int)
        ways_out: dict[str, int] = defaultdict(int)
        for src, dst, _, _ in self.flows:
            ways_out[src] += 1
            ways_in[dst] += 1
        bases: dict[str, str] = {}
        for raw in raws:
            base = kinds[raw]
            if base == "parallel":
                fork, join = ways_out[raw] > 1, ways_in[raw] > 1
                base = "split" if fork and not join else "join" if join and not fork else base
            bases[raw] = base
        several = {b for b, n in Counter(bases.values()).items() if n > 1}
        counters: dict[str, int] = defaultdict(int)
        for raw, base in bases.items():
            numbered = base not in ("start", "end") or base in several
            while True:
                counters[base] += 1
                candidate = f"{base}-{counters[base]}" if numbered else base
                if candidate not in taken:
                    break
                numbered = True
            taken.add(candidate)
            self.ids[raw] = candidate

    def _gateway_kind(self, raw: str, data: dict[str, Any],
                      ways: list[tuple[str, str | None]]) -> str:
        """The map's kind of a flow node; a gateway's reading goes into its note."""
        tag = self.kind_of[raw]
        if tag in JOINS:
            return "parallel"
        if tag not in DECISIONS:
            return tag
        if tag != "inclusiveGateway":
            return "decision"
        if any(label for _, label in ways):
            kind, reading = "decision", ("one or more of its ways out may be taken; read as a "
                                         "decision, which takes one (procmap has no inclusive "
                                         "kind): check whether the ways can run together")
        else:
            kind, reading = "parallel", ("none of its ways out has a condition, so all are "
                                         "taken: read as parallel")
        note = f"BPMN inclusive gateway: {reading}"
        data["note"] = f"{data['note']}; {note}" if data.get("note") else note
        return kind

    def actor(self, key: str, name: str | None, element: Any = None, unnamed: str = "") -> str:
        """The actor of a lane or pool (``key``: its BPMN id), made once.

        Its id is made from its name; without one, from ``unnamed`` (``lane`` is numbered:
        ``lane-1``), else from the BPMN id. A file procmap exported restores its actors.
        """
        existing = [a for a, v in self.actors.items() if v.get("_key") == key]
        if existing:
            return existing[0]
        mark = ext.find(element, "actor") if element is not None else None
        if mark is not None and mark.get("id"):
            actor_id = mark.get("id")
            self.actors.pop(actor_id, None)  # a pool's stand-in of the same name; keep file order
            fields = ext.read_fields(mark, Actor)
            if name and name != (fields.get("name") or humanize(actor_id)):
                fields["name"] = name  # renamed in a modeler since procmap wrote it
            self.actors[actor_id] = {"kind": mark.get("kind", "team"), **fields, "_key": key}
            self.restored.add(actor_id)
            return actor_id
        named = slug(name) if name else ""
        base = named or unnamed or safe_id(key)
        n = 1
        actor_id = f"{base}-1" if not named and unnamed == "lane" else base
        while actor_id in self.actors:
            n += 1
            actor_id = f"{base}-{n}"
        kind = "customer" if name and self.customer.search(name) else "team"
        self.actors[actor_id] = {"kind": kind, **({"name": name} if name else {}), "_key": key}
        return actor_id

    def run(self, stem: str) -> BpmnImport:
        root = self.root
        processes = [e for e in root if _local(e.tag) == "process"]
        collaborations = [c for c in root if _local(c.tag) == "collaboration"]
        pools = [p for c in collaborations for p in c if _local(p.tag) == "participant"]
        self._foreign(root)
        if not processes and not collaborations:
            raise LoadError([MapError(SourceLocation(self.file, root.sourceline or 1), None,
                                      "holds no process and no collaboration: there is "
                                      "nothing to import"), *self.warnings])
        self.counts["pools"] = len(pools)
        pool_of = {p.get("processRef"): p for p in pools if p.get("processRef")}
        by_id = {p.get("id"): p for p in processes}
        for pool in pools:
            title = _clean(pool.get("name")) or pool.get("id")
            ref = pool.get("processRef")
            if not ref:
                self.warn(pool, f"pool '{title}' has no process (a collapsed pool): nothing "
                                "in it is mapped")
            elif ref not in by_id:
                self.warn(pool, f"pool '{title}' refers to process '{ref}', which the file "
                                "does not hold: nothing in it is mapped")
        for process in processes:
            pool = pool_of.get(process.get("id"))
            name = _clean(pool.get("name")) if pool is not None else _clean(process.get("name"))
            # an unnamed pool is the actor of its process, named as the process is
            title = name or _clean(process.get("name"))
            default = self.actor(process.get("id") or "process", title, pool, "process")
            self._lanes(process)
            before = len(self.steps)
            self._nodes(process, default)
            if len(self.steps) == before:
                what = f"pool '{name or pool.get('id')}' is empty: its process holds" \
                    if pool is not None else f"process '{name or process.get('id')}' holds"
                self.warn(pool if pool is not None else process, f"{what} no steps")
        for collaboration in (c for c in root if _local(c.tag) == "collaboration"):
            for flow in (m for m in collaboration if _local(m.tag) == "messageFlow"):
                self.counts["message flows"] += 1
                self._record(flow)
                src, dst = flow.get("sourceRef"), flow.get("targetRef")
                if src in self.kind_of and dst in self.kind_of:
                    self.flows.append((src, dst, _clean(flow.get("name")), flow))
                else:
                    self.warn(flow, f"message flow '{flow.get('id')}' connects a pool, not two "
                                    "steps: it is not mapped")
        self._annotations()
        self._diagrams()
        return self._finish(stem, processes, pools)

    def _foreign(self, root: Any) -> None:
        """Warn about children of definitions that are not BPMN: they are not read."""
        from lxml import etree

        for child in root:
            if not isinstance(child.tag, str):
                continue
            namespace = etree.QName(child).namespace
            if namespace == BPMN and _local(child.tag) in ROOT_ELEMENTS:
                continue
            if namespace in (BPMN, None):
                self.warn(child, f"element '{_local(child.tag)}' is not a BPMN 2.0 element of "
                                 "definitions: it is not mapped")

    def _diagrams(self) -> None:
        """Warn about diagram interchange that points nowhere or draws an element twice.

        procmap lays a map out itself, so the drawing is not imported; these tell the
        user that the file is damaged where other modelers would show it so.
        """
        ids = {e.get("id") for e in self.root.iter(f"{{{BPMN}}}*") if e.get("id")}
        for plane in self.root.iter(f"{{{BPMNDI}}}BPMNPlane"):
            ref = plane.get("bpmnElement")
            if ref and ref not in ids:
                self.warn(plane, f"the diagram's plane '{plane.get('id')}' points to '{ref}', "
                                 "which the file does not hold (its drawing is not used)")
            drawn: dict[str, Any] = {}
            for shape in plane:
                if _local(shape.tag) not in ("BPMNShape", "BPMNEdge"):
                    continue
                element = shape.get("bpmnElement")
                if not element:
                    continue
                if element not in ids:
                    self.warn(shape, f"the diagram draws '{element}', which the file does "
                                     "not hold")
                elif element in drawn:
                    self.warn(shape, f"'{element}' is drawn twice in one diagram (lines "
                                     f"{drawn[element].sourceline} and {shape.sourceline}); "
                                     "the map has it once")
                else:
                    drawn[element] = shape

    def _lanes(self, process: Any) -> None:
        def walk(lane: Any) -> None:
            children = [ls for ls in lane if _local(ls.tag) == "childLaneSet"]
            inner = [x for cs in children for x in cs if _local(x.tag) == "lane"]
            if inner:
                for sub in inner:
                    walk(sub)
                return
            self.counts["lanes"] += 1
            actor = self.actor(lane.get("id"), _clean(lane.get("name")), lane, "lane")
            for ref in lane:
                if _local(ref.tag) == "flowNodeRef" and ref.text:
                    self.lane_of[ref.text.strip()] = actor

        for lane_set in (ls for ls in process if _local(ls.tag) == "laneSet"):
            lanes = [x for x in lane_set if _local(x.tag) == "lane"]
            if not lanes:
                title = _clean(lane_set.get("name")) or lane_set.get("id")
                self.warn(lane_set, f"lane set '{title}' holds no lanes: it is not mapped")
            for lane in lanes:
                walk(lane)

    def _nodes(self, container: Any, default_actor: str) -> None:
        for node in container:
            tag = _local(node.tag)
            raw = node.get("id")
            if tag == "sequenceFlow":
                self.counts["sequence flows"] += 1
                self._record(node)
                self.flows.append((node.get("sourceRef"), node.get("targetRef"),
                                   _clean(node.get("name")) or _condition(node), node))
                continue
            if tag in IGNORED or not raw:
                continue
            actor = self.lane_of.get(raw, default_actor)
            step: dict[str, Any] = {"actor": actor}
            name = _clean(node.get("name"))
            if name:
                step["name"] = name
            docs = [plain_text(d.text) for d in node if _local(d.tag) == "documentation"]
            notes = [d for d in docs if d]
            if tag in TASKS:
                self.counts["tasks"] += 1
                kind = "task"
                if TASKS[tag]:
                    step["channel"] = TASKS[tag]
                if tag != "task":
                    notes.append(f"BPMN {tag}")
                if tag == "businessRuleTask":
                    step["rule"] = name or next((d for d in docs if d), None) or \
                        f"the business rule of task {raw}"
            elif tag in GATEWAYS:
                self.counts["gateways"] += 1
                kind = tag
            elif tag in EVENTS:
                self.counts["events"] += 1
                kind = EVENTS[tag]
                if tag == "boundaryEvent" and node.get("attachedToRef"):
                    self.flows.append((node.get("attachedToRef"), raw, None, node))
            elif tag in SUBPROCESSES:
                self.counts["sub"] += 1
                kind = "subprocess"
                if tag == "callActivity" and node.get("calledElement"):
                    step["calls"] = safe_id(node.get("calledElement"))
                inside = [x for x in node if _local(x.tag) not in IGNORED]
                if inside and tag != "callActivity":
                    self.inner.append((raw, node, actor, name))
                elif inside:
                    self.warn(node, f"the inside of call activity '{name or raw}' "
                                    f"({len(inside)} elements) is not mapped; only the step is")
            else:
                self.warn(node, f"BPMN element {tag} '{raw}' is not mapped")
                continue
            mark = ext.find(node, "step")
            if mark is not None and mark.get("id"):
                self._restore(raw, mark, step, notes[:len(docs)])
                notes = notes[:len(docs)]
            elif ext.find(node, "added") is not None:
                self.added.add(raw)
            if notes:
                step["note"] = "; ".join(notes)
            self.kind_of[raw] = kind
            self.steps[raw] = step

    def _annotations(self) -> None:
        texts = {}
        for process in self.root.iter(f"{{{BPMN}}}textAnnotation"):
            text = "".join(t.text or "" for t in process if _local(t.tag) == "text")
            texts[process.get("id")] = (plain_text(text), process)
        attached = set()
        for assoc in self.root.iter(f"{{{BPMN}}}association"):
            src, dst = assoc.get("sourceRef"), assoc.get("targetRef")
            for node, note in ((src, dst), (dst, src)):
                if note in texts and node in self.steps and texts[note][0]:
                    step = self.steps[node]
                    step["note"] = "; ".join(x for x in (step.get("note"), texts[note][0]) if x)
                    attached.add(note)
        for key, (text, element) in texts.items():
            if key not in attached and text:
                self.warn(element, f"text annotation '{text[:40]}' is attached to no step: not mapped")

    def _record(self, flow: Any) -> None:
        mark = ext.find(flow, "flow")
        if mark is not None and mark.get("source") and mark.get("target"):
            self.records[(mark.get("source"), mark.get("target"))] = mark

    def _restore(self, raw: str, mark: Any, step: dict[str, Any], notes: list[str]) -> None:
        """A step of an exported file: the map's id, kind and fields, no BPMN hints."""
        self.ids[raw] = mark.get("id")
        step.pop("channel", None)
        step.pop("rule", None)
        step.update(ext.read_fields(mark, Step))
        step["_kind"] = mark.get("kind", "task")
        if mark.get("named") == "false":
            step.pop("name", None)

    def _finish(self, stem: str, processes: list[Any], pools: list[Any],
                top: dict[str, Any] | None = None) -> BpmnImport:
        outgoing: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for src, dst, label, element in self.flows:
            if _local(element.tag) == "boundaryEvent" and src not in self.kind_of:
                self.warn(element, f"boundary event '{dst}' is attached to '{src}', which is "
                                   "not a step of the file: it is kept, linked to nothing before it")
                continue
            if not src or not dst:
                ends = " and no ".join(w for w, ref in (("source", src), ("target", dst)) if not ref)
                self.warn(element, f"flow '{element.get('id')}' has no {ends}: it is not mapped")
                continue
            if src not in self.kind_of or dst not in self.kind_of:
                self.warn(element, f"flow from '{src}' to '{dst}' names an element that is not a "
                                   "step: it is not mapped")
                continue
            outgoing[src].append((dst, label))
        restored = {n for n in self.steps if "_kind" in self.steps[n]}
        # merges (exclusive, inclusive, complex, event-based gateways with at most one
        # way out) are passed over: a map leaves them implicit
        joins = {n for n, k in self.kind_of.items() if k in DECISIONS and len(outgoing[n]) <= 1}
        joins = (joins - restored) | self.added
        memo: dict[str, list[str]] = {}

        def through(node: str) -> list[str]:
            """The real steps a flow into ``node`` reaches, passing over merges (no recursion)."""
            if node not in joins:
                return [node]
            if node not in memo:
                found: list[str] = []
                seen, stack = {node}, [node]
                while stack:
                    for nxt, _ in reversed(outgoing[stack.pop()]):
                        if nxt not in joins:
                            if nxt not in found:
                                found.append(nxt)
                        elif nxt not in seen:
                            seen.add(nxt)
                            stack.append(nxt)
                memo[node] = found
            return memo[node]

        read: dict[str, dict[str, Any]] = {}
        kinds: dict[str, str] = {}
        for raw, step in self.steps.items():
            if raw in joins:
                continue
            data = dict(step)
            kept = data.pop("_kind", None)
            kinds[raw] = kept or self._gateway_kind(raw, data, outgoing[raw])
            if kept == "decision":
                data["_restored"] = True
            read[raw] = data
        self._step_ids(list(read), restored, kinds)
        steps: dict[str, dict[str, Any]] = {}
        for raw, data in read.items():
            kind = kinds[raw]
            if "bpmn-id" in self.steps[raw]:
                data["bpmn-id"] = self.steps[raw]["bpmn-id"]
            if kind != "task":
                data["kind"] = kind
            if kind == "decision":
                data["branches"] = {}
            steps[self.sid(raw)] = data
        for raw in self.steps:
            if raw in joins:
                continue
            source = self.sid(raw)
            data = steps[source]
            for dst, label in outgoing[raw]:
                for target_raw in through(dst):
                    self._link(steps, source, self.sid(target_raw), label)
        for data in steps.values():
            if data.get("kind") == "decision" and not data["branches"] and "_restored" not in data:
                data["kind"] = "task"
                del data["branches"]
            data.pop("_restored", None)
        return self._process(stem, processes, pools, steps, top)

    def _link(self, steps: dict[str, dict[str, Any]], source: str, target: str,
              label: str | None) -> None:
        """Add the flow source → target as the map wrote it (its procmap:flow) or as then."""
        data = steps[source]
        record = self.records.get((source, target))
        via = record.get("via") if record is not None else None
        if record is not None:
            label = record.get("label") or None
        if via == "needs":
            needs = steps[target].setdefault("needs", [])
            if source not in needs:
                needs.append(source)
            return
        if data.get("kind") == "decision" and via != "then":
            key = label or steps[target].get("name") or target
            if data["branches"].get(key, {}).get("to") == target:
                return
            while key in data["branches"]:
                key += "'"
            branch: dict[str, Any] = {"to": target}
            if record is not None and record.get("probability"):
                branch["probability"] = float(record.get("probability"))
            data["branches"][key] = branch
            return
        then = data.setdefault("then", [])
        if target not in then:
            then.append(target)

    def _process(self, stem: str, processes: list[Any], pools: list[Any],
                 steps: dict[str, dict[str, Any]], top: dict[str, Any] | None) -> BpmnImport:
        name = next((_clean(p.get("name")) for p in [*pools, *processes] if _clean(p.get("name"))),
                    None) or _clean(self.root.get("name"))
        actors = {a: {k: v for k, v in d.items() if k != "_key"} for a, d in self.actors.items()}
        used = {s["actor"] for s in steps.values()}
        mark = next((m for c in self.root if _local(c.tag) == "collaboration"
                     for m in [ext.find(c, "map")] if m is not None), None)
        if self.restored or mark is not None:
            # the map's actors, and lanes drawn in since with steps in them
            actors = {a: d for a, d in actors.items() if a in self.restored or a in used}
        else:
            actors = {a: d for a, d in actors.items() if a in used} or actors
        data: dict[str, Any] = {"procmap": 1, "process": slug(name or stem) or "imported",
                                **({"name": name} if name else {})}
        if top is not None:
            data = {"procmap": 1, **top}
        elif mark is not None and mark.get("process"):
            data = {"procmap": 1, "process": mark.get("process"),
                    **ext.read_fields(mark, Process)}
            data["outcomes"] = {o.get("id"): ext.read_fields(o, Outcome)
                                for o in mark if o.tag == ext.TAG + "outcome"}
        if not steps and top is None:
            self._no_steps(processes, pools, actors, exported=mark is not None)
        children = self._children(data["process"], steps)
        data.update(actors=actors, steps=steps)
        process = Process.model_validate(data)
        problems = list(reference_problems(process))
        if problems:
            raise LoadError([MapError(SourceLocation(self.file), p.element, p.what, p.hint)
                             for p in problems])
        return BpmnImport(process, self.warnings, dict(self.counts), children)

    def _no_steps(self, processes: list[Any], pools: list[Any], actors: dict[str, Any],
                  *, exported: bool) -> None:
        """A file without a single step: a map of its pools and lanes, with a warning, or refused."""
        where = next(iter([*processes, *pools]), self.root)
        passed = sum(1 for k in self.kind_of.values() if k in GATEWAYS)
        over = f"; {passed} gateway(s) connecting nothing passed over" if passed else ""
        if pools or self.counts["lanes"] or exported:
            self.warn(where, f"holds no steps (no task, event, gateway or sub-process{over}): "
                             f"only its pools and lanes are imported, as {len(actors)} actors")
            return
        raise LoadError([MapError(SourceLocation(self.file, where.sourceline or 1), None,
                                  f"holds no steps (no task, event, gateway or sub-process"
                                  f"{over}) and no named pools or lanes: there is nothing to "
                                  "map"), *self.warnings])

    def _children(self, parent: str, steps: dict[str, dict[str, Any]]) -> list[Process]:
        """Import each expanded sub-process as a map of its own, called by its step."""
        children: list[Process] = []
        taken = {parent}
        for raw, element, actor, name in self.inner:
            child_id = f"{parent}--{slug(name or '') or self.sid(raw)}"
            while child_id in taken:
                child_id += "-2"
            taken.add(child_id)
            importer = _Importer(self.root, self.file, None)
            importer.customer, importer.actors = self.customer, dict(self.actors)
            importer.lane_of = self.lane_of
            importer._lanes(element)
            importer._nodes(element, actor)
            if not importer.steps:
                continue
            top = {"process": child_id, **({"name": name} if name else {}), "part-of": parent}
            result = importer._finish(child_id, [], [], top)
            self.warnings += result.warnings
            steps[self.sid(raw)]["calls"] = child_id
            children += [result.process, *result.children]
        return children


def _condition(flow: Any) -> str | None:
    for child in flow:
        if _local(child.tag) == "conditionExpression":
            return _clean(child.text)
    return None
