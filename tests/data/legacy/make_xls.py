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
