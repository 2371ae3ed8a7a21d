"""EndNote tagged / refer format (``%0 Journal Article``, ``%A``, ``%T``, …; ``.enw``)."""
