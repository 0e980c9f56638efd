#!/usr/bin/env bash
# Makes the legacy test documents: OOXML written by python, saved by LibreOffice in the
# 97–2003 format. Needs python3 with openpyxl and soffice. One section per kind;
# the .doc section writes flat ODF sources here, so a real writer's binary layout is read.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# xls: every hiding place of a workbook (make_xls.py).
python3 make_xls.py "$tmp/places.xlsx" "$tmp/marked.xlsx"
soffice --headless --convert-to xls --outdir xls "$tmp/places.xlsx" "$tmp/marked.xlsx" >/dev/null

# --- doc -------------------------------------------------------------------------------
# Every story of a .doc: body paragraphs, a table, footnote, endnote, header, footer,
# a comment with its author, a text box, a field, hidden text and tracked changes.
doc_src=$(mktemp -d)
cat > "$doc_src/stories.fodt" <<'FODT'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="Skjult" style:family="text"><style:text-properties text:display="none"/></style:style>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/>
   <style:header-style/><style:footer-style/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>INTERN Topptekst 26111593816</text:p></style:header>
   <style:footer><text:p>Bunntekst 13097248022</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:tracked-changes>
    <text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Kari Nordmann</dc:creator><dc:date>2024-01-02T10:00:00</dc:date></office:change-info><text:p>Slettet 29029648784</text:p></text:deletion></text:changed-region>
    <text:changed-region text:id="ct2"><text:insertion><office:change-info><dc:creator>Kari Nordmann</dc:creator><dc:date>2024-01-02T10:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
   </text:tracked-changes>
   <text:p>Første avsnitt med fødselsnummer 15108695088.</text:p>
   <text:p>Andre avsnitt<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Fotnote 10048745526</text:p></text:note-body></text:note> og sluttnote<text:note text:id="n2" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>Sluttnote 11111598403</text:p></text:note-body></text:note>.</text:p>
   <table:table table:name="Tabell1">
    <table:table-column table:number-columns-repeated="2"/>
    <table:table-row><table:table-cell><text:p>Navn</text:p></table:table-cell><table:table-cell><text:p>Fødselsnummer</text:p></table:table-cell></table:table-row>
    <table:table-row><table:table-cell><text:p>Ola</text:p></table:table-cell><table:table-cell><text:p>18061592527</text:p></table:table-cell></table:table-row>
   </table:table>
   <text:p>Kommentert<office:annotation><dc:creator>Per Hansen</dc:creator><dc:date>2024-01-02T10:00:00</dc:date><text:p>Kommentar 23114038547</text:p></office:annotation> tekst.</text:p>
   <text:p>Synlig <text:span text:style-name="Skjult">skjult 29020075838</text:span> slutt.</text:p>
   <text:p>Endret: <text:change text:change-id="ct1"/>beholdt <text:change-start text:change-id="ct2"/>satt inn 15021951940<text:change-end text:change-id="ct2"/>.</text:p>
   <text:p>Felt: <text:page-number text:select-page="current">1</text:page-number> side.</text:p>
   <text:p><draw:frame draw:name="Ramme1" text:anchor-type="paragraph" svg:width="6cm" svg:height="2cm"><draw:text-box><text:p>Tekstboks 13097248022</text:p></draw:text-box></draw:frame>Etter rammen.</text:p>
  </office:text>
 </office:body>
</office:document>
FODT
soffice --headless --convert-to doc --outdir doc "$doc_src/stories.fodt" >/dev/null

# A .doc labelled Intern (the MSIP_Label_* custom properties Office writes, kept by
# LibreOffice) whose header says Strengt beskyttet: the marking rules read legacy headers.
intern=MSIP_Label_6ae54424-c431-46c6-8ac2-cb0fc8776528
for header in "Strengt beskyttet" "Intern"; do
  name=$(echo "$header" | tr 'A-Z ' 'a-z-')
  cat > "$doc_src/marked-$name.fodt" <<FODT
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>
  <meta:user-defined meta:name="${intern}_Enabled">true</meta:user-defined>
  <meta:user-defined meta:name="${intern}_SetDate">2024-01-02T10:00:00Z</meta:user-defined>
  <meta:user-defined meta:name="${intern}_Method">Standard</meta:user-defined>
  <meta:user-defined meta:name="${intern}_Name">Intern</meta:user-defined>
  <meta:user-defined meta:name="${intern}_SiteId">0a7f70e8-9429-4eb1-811a-5bec2ff8c815</meta:user-defined>
  <meta:user-defined meta:name="${intern}_ActionId">5f1c2b6e-1d7a-4c8e-9b0a-3e2f4d6c8a10</meta:user-defined>
  <meta:user-defined meta:name="${intern}_ContentBits">1</meta:user-defined>
 </office:meta>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/><style:header-style/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>$header</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text><text:p>Et notat.</text:p></office:text></office:body>
</office:document>
FODT
  soffice --headless --convert-to doc --outdir doc "$doc_src/marked-$name.fodt" >/dev/null
done
rm -rf "$doc_src"

work=$(mktemp -d)
trap 'rm -rf "$tmp" "$work"' EXIT
# --- ppt -------------------------------------------------------------------------------
# presentasjon.ppt: slides (one hidden), notes, text boxes; merket.ppt / umerket.ppt:
# labelled Intern, with and without the marking on the master (see ppt/make.py).
python3 ppt/make.py "$work"
soffice --headless --convert-to ppt --outdir ppt \
    "$work/presentasjon.pptx" "$work/merket.pptx" "$work/umerket.pptx" >/dev/null
