"""The .xlsx the xls section of make.sh converts: every hiding place of a workbook."""
import sys
from openpyxl import Workbook
from openpyxl.comments import Comment

wb = Workbook()
ark = wb.active
ark.title = "Ark1"
ark["A1"] = "Navn"
ark["B1"] = "Fødselsnummer"
ark["A2"] = "Kari Nordmann"
ark["B2"] = "15108695088"
# A fødselsnummer stored as a number loses its leading zero; the format shows it.
ark["C4"] = 3111590981
ark["C4"].number_format = "00000000000"
ark["D2"] = "=B2"
ark["A3"] = "Skjult rad 10048745526"
ark.row_dimensions[3].hidden = True
ark["E1"] = "Skjult kolonne 11111598403"
ark.column_dimensions["E"].hidden = True
ark["B5"].comment = Comment("Sjekk 18061592527", "Ola Saksbehandler")
ark.oddHeader.center.text = "Fortrolig"
ark.oddFooter.left.text = "Oslo kommune 23114038547"
skjult = wb.create_sheet("Skjult")
skjult["A1"] = "Hemmelig 26111593816"
skjult.sheet_state = "hidden"
wb.save(sys.argv[1])

# A workbook labelled Intern whose label promises a footer marking (contentBits 2) that its
# footer does not show: the marking rules read legacy footers too.
from openpyxl.packaging.custom import StringProperty

wb = Workbook()
ark = wb.active
ark.title = "Ark1"
ark["A1"] = "Budsjett"
ark.oddFooter.center.text = "Oslo kommune"
prefix = "MSIP_Label_6ae54424-c431-46c6-8ac2-cb0fc8776528_"
for key, value in [
    ("Enabled", "true"),
    ("SetDate", "2025-01-15T10:00:00Z"),
    ("Method", "Standard"),
    ("Name", "Intern"),
    ("SiteId", "0a7f70e8-9429-4eb1-811a-5bec2ff8c815"),
    ("ContentBits", "2"),
]:
    wb.custom_doc_props.append(StringProperty(name=prefix + key, value=value))
wb.save(sys.argv[2])
