"""rawa.gemma: GEMMA changes checked against the snapshot in ``data/gemma``, their tables
and diagrams, the ArchiMate types and the exchange file."""
