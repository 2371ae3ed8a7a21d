"""Web of Science / ISI tagged export (``FN``/``VR`` header, ``PT J`` … ``ER``, ``EF``)."""
