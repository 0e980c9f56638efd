#!/usr/bin/env bash
# Makes the legacy test documents: a modern document written by python (python-pptx, ...),
# saved again by LibreOffice in the 97-2003 format. One section per kind. Needs python3 with
# the writer libraries (pip install python-pptx) and soffice.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- ppt -------------------------------------------------------------------------------
# presentasjon.ppt: slides (one hidden), notes, text boxes; merket.ppt / umerket.ppt:
# labelled Intern, with and without the marking on the master (see ppt/make.py).
python3 ppt/make.py "$work"
soffice --headless --convert-to ppt --outdir ppt \
    "$work/presentasjon.pptx" "$work/merket.pptx" "$work/umerket.pptx" >/dev/null
