"""MODS XML (Library of Congress Metadata Object Description Schema), as bibutils writes it."""
