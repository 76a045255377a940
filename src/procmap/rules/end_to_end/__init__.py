"""Rules of this family; RULES lists them for the registry."""

RULES: tuple[type, ...] = ()
