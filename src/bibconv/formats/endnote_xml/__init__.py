"""EndNote XML export (``<xml><records><record>``, styled text runs)."""
