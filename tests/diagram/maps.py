"""The maps every diagram test runs on: the examples, a fork/join map and generated maps
across 8 lanes."""

from __future__ import annotations

import sys
from functools import cache

import procmap
from tests.conftest import ROOT, example_maps

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import map_text  # noqa: E402

GENERATED_SIZES = (20, 100, 500)
DOC_EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.yaml"))

FORK_JOIN = """\
procmap: 1
process: claim-checks-in-parallel
name: Motor claim, checked in parallel
level: 3
owner: Claims
actors:
  customer: {kind: customer, name: Policy holder}
  claims: {kind: team, name: Claims}
  assessor: {kind: partner, name: Assessor}
  system: {kind: system, name: Claims system}
outcomes:
  paid: {name: Customer is paid for the damage}
steps:
  damage-reported:
    actor: customer
    kind: start
    name: Customer reports damage
    then: [register]
  register: {actor: claims, name: Register the claim, then: [start-checks]}
  start-checks:
    actor: claims
    kind: parallel
    name: Start the checks
    then: [check-cover, inspect-car, upload-photos]
  check-cover: {actor: claims, name: Check the policy cover, then: [score-fraud]}
  score-fraud: {actor: system, name: Score the claim for fraud, then: [checks-done]}
  inspect-car: {actor: assessor, name: Inspect the car, then: [write-estimate]}
  write-estimate: {actor: assessor, name: Write the repair estimate, then: [agree-estimate]}
  agree-estimate:
    actor: claims
    name: Agree the estimate with the assessor
    then: [checks-done]
  upload-photos:
    actor: customer
    name: Upload photos of the damage
    channel: app
    then: [checks-done]
  checks-done: {actor: claims, kind: parallel, then: [pay]}
  pay: {actor: system, name: Pay the claim, delivers: [paid], then: [money-received]}
  money-received: {actor: customer, kind: end, name: Customer receives the money}
"""
"""A claim whose checks run side by side: a named parallel step forks into three branches
of one, two and three steps across four lanes, and an unnamed one joins them."""
FORK_JOIN_BRANCHES = {
    "check-cover": ("check-cover", "score-fraud"),
    "inspect-car": ("inspect-car", "write-estimate", "agree-estimate"),
    "upload-photos": ("upload-photos",),
}
GERMAN = """\
procmap: 1
process: privatkredit
name: Privatkredit beantragen
language: de
actors:
  kundin: {kind: customer, name: Kundin}
  filiale: {kind: team, name: Kundenberatung in der Filiale}
  kredit: {kind: team, name: Kreditabteilung für Privatkunden}
  system: {kind: system, name: Kernbankensystem}
outcomes:
  ausgezahlt: {name: Kredit ist ausgezahlt}
steps:
  antrag: {actor: kundin, kind: start, name: Kundin stellt Kreditantrag, then: [unterlagen]}
  unterlagen:
    actor: kundin
    name: Einkommensnachweise und Überweisungsträger einreichen
    then: [vollstaendig]
  vollstaendig:
    actor: filiale
    kind: decision
    name: Unterlagen vollständig?
    branches:
      ja: bonitaet
      nein: nachfordern
  nachfordern: {actor: filiale, name: Fehlende Unterlagen nachfordern, then: [unterlagen]}
  bonitaet:
    actor: kredit
    name: Bonitätsprüfung (Schufa-Auskunft, Kontoauszüge)
    then: [vertrag]
  vertrag: {actor: kredit, name: Kreditvertragsunterlagen erstellen, then: [auszahlung]}
  auszahlung:
    actor: system
    name: Darlehensbetrag überweisen
    delivers: [ausgezahlt]
    then: [erhalten]
  erhalten: {actor: kundin, kind: end, name: Kundin erhält das Geld}
"""
"""A German map: compound words longer than a line (hyphenated by language: de), a lane
name that must break at a word joint, branch labels in German."""

JAPANESE = """\
procmap: 1
process: kouza-kaisetsu
name: 口座開設
language: ja
actors:
  kokyaku: {kind: customer, name: お客様}
  madoguchi: {kind: team, name: 窓口担当（東京支店）}
  shinsa: {kind: team, name: 審査部 Credit Review}
outcomes:
  kaisetsu: {name: 口座が開設される}
steps:
  moushikomi: {actor: kokyaku, kind: start, name: 申込書を提出する, then: [kakunin]}
  kakunin:
    actor: madoguchi
    name: 本人確認書類（運転免許証またはパスポート）を確認する
    then: [handan]
  handan:
    actor: shinsa
    kind: decision
    name: 審査に通過したか？
    branches:
      はい: kaisetsu-suru
      いいえ: tsuuchi
  tsuuchi: {actor: madoguchi, name: お断りの連絡をする, then: [owari]}
  kaisetsu-suru:
    actor: shinsa
    name: 口座を開設してキャッシュカードを発送する
    delivers: [kaisetsu]
    then: [owari]
  owari: {actor: kokyaku, kind: end, name: 結果を受け取る}
"""
"""A Japanese map: names with no spaces (lines break between characters, never before
closing brackets or small kana), a lane name half in English."""

ARABIC = """\
procmap: 1
process: fath-hisab
name: فتح حساب
language: ar
actors:
  amil: {kind: customer, name: العميل}
  khidma: {kind: team, name: خدمة العملاء في الفرع الرئيسي}
  mukhatir: {kind: team, name: إدارة المخاطر}
outcomes:
  maftuh: {name: الحساب مفتوح}
steps:
  talab: {actor: amil, kind: start, name: يقدم العميل طلب فتح الحساب, then: [tahaqquq]}
  tahaqquq:
    actor: khidma
    name: التحقق من الهوية ومراجعة المستندات المقدمة من العميل
    then: [qarar]
  qarar:
    actor: mukhatir
    kind: decision
    name: هل الطلب مقبول؟
    branches:
      نعم: fath
      لا: rafd
  rafd: {actor: khidma, name: إبلاغ العميل بالرفض, then: [nihaya]}
  fath: {actor: khidma, name: فتح الحساب وإرسال البطاقة, delivers: [maftuh], then: [nihaya]}
  nihaya: {actor: amil, kind: end, name: يستلم العميل الرد}
"""
"""An Arabic map: right-to-left names, joined letters whose widths only shaping gives."""

LANGUAGE_MAPS = {"languages-de": GERMAN, "languages-ja": JAPANESE, "languages-ar": ARABIC}
INLINE = {"fork-join": FORK_JOIN, **LANGUAGE_MAPS}


def diagram_inputs() -> list[str]:
    """Names of the maps to draw: example files, then ``generated-N``."""
    files = [str(p.relative_to(ROOT)) for p in [*example_maps(), *DOC_EXAMPLES]]
    return files + sorted(INLINE) + [f"generated-{n}" for n in GENERATED_SIZES]


@cache
def load_input(name: str) -> procmap.Process:
    if name in INLINE:
        return procmap.loads(INLINE[name])
    if name.startswith("generated-"):
        return procmap.loads(map_text(int(name.split("-")[1])))
    return procmap.load(ROOT / name)
