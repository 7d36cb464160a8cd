"""rawa.latex: the PDF edition: LaTeX settings from ``publicatie.toml``, needs as flowing
text, front matter and annexes, and the translator that leaves out page references in
tables."""
