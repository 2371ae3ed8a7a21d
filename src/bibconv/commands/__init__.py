"""Sub-commands of the ``bibconv`` CLI, one module each (see :mod:`bibconv.cli`)."""
