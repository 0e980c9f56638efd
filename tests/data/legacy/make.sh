#!/usr/bin/env bash
# Makes the legacy test documents: a modern document written by python (python-pptx, ...),
# saved again by LibreOffice in the 97-2003 format. One section per kind. Needs python3 with
# the writer libraries (pip install python-pptx) and soffice. Run from this folder.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- ppt -------------------------------------------------------------------------------
# Three slides (the second hidden), speaker notes, a text box beside the placeholders.
# Identifiers are valid test fødselsnummer from tests/data/pii-vectors.json.
python3 - "$work/presentasjon.pptx" <<'PY'
import sys
from pptx import Presentation
from pptx.util import Inches

prs = Presentation()
s1 = prs.slides.add_slide(prs.slide_layouts[1])
s1.shapes.title.text = "Søknad om støtte"
s1.placeholders[1].text_frame.text = "Søker: Ola Nordmann"
s1.placeholders[1].text_frame.add_paragraph().text = "Fødselsnummer 15108695088"
s1.notes_slide.notes_text_frame.text = "Ring Kari på 10048745526 før møtet"
s2 = prs.slides.add_slide(prs.slide_layouts[5])
s2.shapes.title.text = "Skjult lysbilde"
box = s2.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
box.text_frame.text = "Hemmelig: 11111598403"
s2._element.set("show", "0")
s3 = prs.slides.add_slide(prs.slide_layouts[6])
box = s3.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1))
box.text_frame.text = "Tekstboks på lysbilde tre"
box.text_frame.add_paragraph().text = "Ærlig talt, blåbærsyltetøy"
prs.save(sys.argv[1])
PY
soffice --headless --convert-to ppt --outdir ppt "$work/presentasjon.pptx" >/dev/null
