#!/usr/bin/env bash
# Makes the legacy test documents: OOXML written by python, saved by LibreOffice in the
# 97–2003 format. Needs python3 with openpyxl and soffice. One section per kind.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# xls: every hiding place of a workbook (make_xls.py).
python3 make_xls.py "$tmp/places.xlsx" "$tmp/marked.xlsx"
soffice --headless --convert-to xls --outdir xls "$tmp/places.xlsx" "$tmp/marked.xlsx" >/dev/null
