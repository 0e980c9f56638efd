"""Writes the .pptx sources of the .ppt test presentations into the folder given (make.sh
converts them with LibreOffice). Identifiers are valid test fødselsnummer from
tests/data/pii-vectors.json. Needs python-pptx."""

import shutil
import sys
import zipfile

from lxml import etree
from pptx import Presentation
from pptx.util import Inches

LABEL = "6ae54424-c431-46c6-8ac2-cb0fc8776528"  # "Intern" in rules/labels.toml
TENANT = "0a7f70e8-9429-4eb1-811a-5bec2ff8c815"
MARKING = """<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:nvSpPr><p:cNvPr id="99"
 name="Merking"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="457200"
 y="6400800"/><a:ext cx="2743200" cy="369332"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>
 </a:prstGeom></p:spPr><p:txBody><a:bodyPr wrap="none"/><a:lstStyle/><a:p><a:r><a:t>Intern</a:t>
 </a:r></a:p></p:txBody></p:sp>"""


def presentation(path):
    """Three slides (the second hidden), speaker notes, text boxes beside placeholders."""
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
    prs.save(path)


def labelled(path, marked):
    """Labelled Intern (custom properties, as Office writes them; LibreOffice keeps them in
    \\x05DocumentSummaryInformation), with or without the marking "Intern" on the master."""
    prs = Presentation()
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "Budsjett 2027"
    s.placeholders[1].text_frame.text = "Tall for bydelen"
    if marked:
        prs.slide_master.shapes._spTree.append(etree.fromstring(MARKING))
    prs.save(path)
    props = [("Enabled", "true"), ("SetDate", "2026-01-05T10:00:00Z"), ("Method", "Standard"),
             ("Name", "Intern"), ("SiteId", TENANT),
             ("ActionId", "1d1c1a1b-0000-4000-8000-000000000001"), ("ContentBits", "0")]
    body = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" '
        f'name="MSIP_Label_{LABEL}_{k}"><vt:lpwstr>{v}</vt:lpwstr></property>'
        for i, (k, v) in enumerate(props))
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns='
              '"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
              'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              f'{body}</Properties>')
    src = zipfile.ZipFile(path)
    out = zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED)
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/docProps/custom.xml" '
                                b'ContentType="application/vnd.openxmlformats-officedocument.'
                                b'custom-properties+xml"/></Types>')
        if item.filename == "_rels/.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rIdC" Type="http://'
                                b'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                b'custom-properties" Target="docProps/custom.xml"/></Relationships>')
        out.writestr(item, data)
    out.writestr("docProps/custom.xml", custom)
    out.close()
    src.close()
    shutil.move(path + ".tmp", path)


out = sys.argv[1]
presentation(f"{out}/presentasjon.pptx")
labelled(f"{out}/merket.pptx", True)
labelled(f"{out}/umerket.pptx", False)
