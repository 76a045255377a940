"""Who may do what: ONE function, :func:`allowed`, and the matrix as data.

Roles: ``admin`` (the server's administrators: everything), ``user`` (anyone
signed in), ``anonymous``, and per workshop ``facilitator``, ``participant``
and ``viewer``; ``author`` is the writer of a comment. :data:`MATRIX` maps each
action to the roles that may do it. :func:`refusal` says how a refused request
is answered: 401 for the anonymous, 404 for anyone outside the workshop (a
workshop's existence is not leaked) and for other people's drafts, else 403.

Every route names its action (``openapi_extra=action("...")``); the route walk
test reads it and checks every route with every role against this matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

ANYONE = frozenset({"anonymous", "user"})
MEMBERS = frozenset({"facilitator", "participant", "viewer"})

MATRIX: dict[str, frozenset[str]] = {
    # the server
    "public": ANYONE,                              # sign in, the CSRF token, static files
    "session.end": frozenset({"user"}),
    "me.read": frozenset({"user"}),
    "account.create": frozenset({"admin"}),
    "invite.accept": ANYONE,                       # signed in, or creating an account
    "process.list": frozenset({"user"}),
    "process.read": frozenset({"user"}),
    "process.create": frozenset({"user"}),
    "workshop.list": frozenset({"user"}),
    "workshop.create": frozenset({"user"}),       # the creator becomes its facilitator
    # one workshop
    "workshop.read": MEMBERS,
    "invite.create": frozenset({"facilitator"}),
    "draft.own": frozenset({"participant"}),       # read, save and upload one's own draft
    "drafts.read": frozenset({"facilitator"}),     # everyone's drafts
    "merge": frozenset({"facilitator"}),
    "merged.read": MEMBERS,
    "merged.write": frozenset({"facilitator"}),
    "map.preview": frozenset({"facilitator", "participant"}),  # the editor's live method, nothing saved
    "agree": frozenset({"facilitator"}),
    "comment.read": MEMBERS,
    "comment.write": frozenset({"facilitator", "participant"}),
    "comment.resolve": frozenset({"facilitator", "author"}),
}
"""Action → the roles that may do it (admins may do everything but what is PERSONAL)."""

WORKSHOP_ACTIONS = frozenset({
    "workshop.read", "invite.create", "draft.own", "drafts.read", "merge", "merged.read",
    "merged.write", "agree", "comment.read", "comment.write", "comment.resolve", "map.preview",
})
"""Actions on one workshop: refused with 404 to people outside it."""

PERSONAL = frozenset({"draft.own"})
"""Actions on one's own things, which being an admin does not give (an admin has no draft)."""

HIDDEN = frozenset({"drafts.read"})
"""Actions refused with 404 even to members: other people's drafts are not shown to exist."""


@dataclass(frozen=True)
class Actor:
    """Who is asking: a signed-in account, or anonymous (``id`` None)."""

    id: int | None = None
    email: str = ""
    name: str = ""
    is_admin: bool = False

    @property
    def signed_in(self) -> bool:
        return self.id is not None


@dataclass(frozen=True)
class Scope:
    """What an action is on: a workshop (the actor's role in it) and, for comments, their author."""

    role: str | None = None  # the actor's role in the workshop, None outside it
    author_id: int | None = None


def roles(actor: Actor, obj: Scope | None) -> set[str]:
    """The roles ``actor`` has for ``obj``."""
    if not actor.signed_in:
        return {"anonymous"}
    found = {"user"}
    if actor.is_admin:
        found.add("admin")
    if obj is not None:
        if obj.role:
            found.add(obj.role)
        if obj.author_id is not None and obj.author_id == actor.id:
            found.add("author")
    return found


def allowed(actor: Actor, action: str, obj: Scope | None = None) -> bool:
    """May ``actor`` do ``action`` on ``obj``? The one answer the server and the tests use."""
    mine = roles(actor, obj)
    if "admin" in mine and action not in PERSONAL:
        return True
    return bool(mine & MATRIX[action])


def refusal(actor: Actor, action: str, obj: Scope | None = None) -> int:
    """The HTTP status of a refused action: 401, 404 (not shown to exist) or 403."""
    if not actor.signed_in:
        return 401
    if action in WORKSHOP_ACTIONS and (obj is None or obj.role is None):
        return 404
    if action in HIDDEN:
        return 404
    return 403


def action(name: str) -> dict[str, str]:
    """A route's ``openapi_extra`` naming its action: ``@router.get(..., openapi_extra=action("merge"))``."""
    if name not in MATRIX:
        raise KeyError(f"unknown action {name!r}")
    return {"x-procmap-action": name}
