"""dunlib's values as documents: JSON and TOML in and out, and the status shown to other systems.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.io.external import ExternalStatus, ExternalStatusKind, external_status
from dunlib.io.serialize import (
    MAX_INT_DIGITS,
    MAX_NESTING,
    SCHEMA_VERSION,
    TAG_KEY,
    UPGRADES,
    VERSION_KEY,
    from_dict,
    from_json,
    load_rules,
    to_dict,
    to_json,
    upgrade_legacy_money,
    upgrade_legal_fields,
    upgrade_vocabulary,
)

__all__ = [
    "MAX_INT_DIGITS",
    "MAX_NESTING",
    "SCHEMA_VERSION",
    "TAG_KEY",
    "UPGRADES",
    "VERSION_KEY",
    "ExternalStatus",
    "ExternalStatusKind",
    "external_status",
    "from_dict",
    "from_json",
    "load_rules",
    "to_dict",
    "to_json",
    "upgrade_legacy_money",
    "upgrade_legal_fields",
    "upgrade_vocabulary",
]
