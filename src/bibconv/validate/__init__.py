"""``bibconv validate``: reader diagnostics plus rule findings, for every readable format.

Public entry points: :func:`validate` (files, bytes or text → :class:`Report`),
:class:`Config` / :func:`load_config` (``[tool.bibconv]`` in pyproject.toml),
and :data:`RULES` (every registered check with its codes).  Nothing here
writes a file.
"""

from __future__ import annotations

from bibconv.validate.config import Config, ConfigError, load_config
from bibconv.validate.engine import Report, validate
from bibconv.validate.rule import RULES, Rule

__all__ = ["RULES", "Config", "ConfigError", "Report", "Rule", "load_config", "validate"]
