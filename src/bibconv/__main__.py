"""``python -m bibconv`` runs the command-line interface."""

from bibconv.cli import main

raise SystemExit(main())
