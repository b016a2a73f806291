"""dunlib's values as documents: JSON and TOML in and out, and the status shown to other systems.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.io.chain import (
    CHAIN_KEY,
    ERASED_NAME,
    PERSONAL_FIELDS,
    ChainBreak,
    ChainBrokenError,
    erase_personal_data,
    personal_digest,
    seal_invoice,
    verify_chain,
)
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
    upgrade_history_chain,
    upgrade_legacy_money,
    upgrade_legal_fields,
    upgrade_vocabulary,
)

__all__ = [
    "CHAIN_KEY",
    "ERASED_NAME",
    "MAX_INT_DIGITS",
    "MAX_NESTING",
    "PERSONAL_FIELDS",
    "SCHEMA_VERSION",
    "TAG_KEY",
    "UPGRADES",
    "VERSION_KEY",
    "ChainBreak",
    "ChainBrokenError",
    "ExternalStatus",
    "ExternalStatusKind",
    "erase_personal_data",
    "external_status",
    "from_dict",
    "from_json",
    "load_rules",
    "personal_digest",
    "seal_invoice",
    "to_dict",
    "to_json",
    "upgrade_history_chain",
    "upgrade_legacy_money",
    "upgrade_legal_fields",
    "upgrade_vocabulary",
    "verify_chain",
]
