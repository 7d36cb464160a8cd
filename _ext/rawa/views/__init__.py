"""rawa.views: what is generated from the needs: matrices, coverage, the diff with the
previous edition, the CSV and XLSX exports, permalinks, and the shared table builder."""
