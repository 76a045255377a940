"""The tables (SQLAlchemy Core, no ORM).

A map is stored as its YAML text; versions carry derived counts for listing and
are never updated. Times are UTC, stored without a zone.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(200), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("is_admin", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
)

processes = Table(
    "processes", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("level", String(50)),
    Column("owner", String(200)),
    Column("part_of", String(200)),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("process_id", Integer, ForeignKey("processes.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("yaml", Text, nullable=False),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("message", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("steps", Integer, nullable=False),
    Column("moments_of_truth", Integer, nullable=False),
    Column("break_points", Integer, nullable=False),
    Column("business_rules", Integer, nullable=False),
    UniqueConstraint("process_id", "number", name="uq_versions_process_number"),
)

workshops = Table(
    "workshops", metadata,
    Column("id", Integer, primary_key=True),
    Column("process_id", Integer, ForeignKey("processes.id"), nullable=False),
    Column("title", String(300), nullable=False),
    Column("facilitator_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("state", String(20), nullable=False),  # drafting | merged | agreed
    Column("base_version_id", Integer, ForeignKey("versions.id")),
    Column("merged_yaml", Text),
    Column("merged_report", Text),  # JSON
    Column("merged_revision", Integer, nullable=False, default=0),
    Column("agreed_version_id", Integer, ForeignKey("versions.id")),
    Column("created_at", DateTime, nullable=False),
)

memberships = Table(
    "memberships", metadata,
    Column("workshop_id", Integer, ForeignKey("workshops.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("role", String(20), nullable=False),  # facilitator | participant | viewer
)

invites = Table(
    "invites", metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id"), nullable=False),
    Column("role", String(20), nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("used_by", Integer, ForeignKey("users.id")),
    Column("used_at", DateTime),
)

drafts = Table(
    "drafts", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("yaml", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("workshop_id", "user_id", name="uq_drafts_workshop_user"),
)

comments = Table(
    "comments", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop_id", Integer, ForeignKey("workshops.id"), nullable=False),
    Column("target", String(20), nullable=False),  # draft | merged | version
    Column("draft_id", Integer, ForeignKey("drafts.id")),
    Column("version_id", Integer, ForeignKey("versions.id")),
    Column("step_id", String(200)),
    Column("parent_id", Integer, ForeignKey("comments.id")),
    Column("author_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("resolved_by", Integer, ForeignKey("users.id")),
    Column("resolved_at", DateTime),
    Column("created_at", DateTime, nullable=False),
)
