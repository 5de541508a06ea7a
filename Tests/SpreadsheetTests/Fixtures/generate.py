#!/usr/bin/env python3
"""Writes the SpreadsheetTests fixtures. Run once; the tests never need Python.

    python3 -m venv /tmp/venv-gen && /tmp/venv-gen/bin/pip install openpyxl odfpy xlsxwriter
    cd Tests/SpreadsheetTests/Fixtures && /tmp/venv-gen/bin/python generate.py

Real writers (openpyxl, xlsxwriter, odfpy) make the ordinary files; the standard library's
zipfile and hand-written XML make the ones no writer produces (1904 dates, rows without `r`,
inline strings) and the hostile ones.
"""
import datetime
import struct
import zipfile
import zlib

import openpyxl
import xlsxwriter
from odf.opendocument import OpenDocumentSpreadsheet
from odf.office import Annotation
from odf.table import Table, TableRow, TableCell, CoveredTableCell
from odf.text import P, S, Span, Tab, LineBreak, A


def openpyxl_basic():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "FAQ"
    ws.append(["ID", "Catégorie", "Question", "Type de réponse", "Réponse(s)", None,
               "Questions synonymes", "Expire le"])
    ws.append([12345, "Ressources humaines", "Comment poser un congé ?", "Texte",
               "Sur le portail RH.\nPuis validez.", None, "congés; vacances", datetime.date(2027, 1, 31)])
    ws["H2"].number_format = "DD/MM/YYYY"
    # Row 3: an empty cell in the middle (B), an integer-valued float, a fraction, a boolean, blanks.
    ws.append(["badge", None, "Badge perdu, que faire ?", 3.0, 2.5, None, True, "   "])
    # Row 4 left empty; row 5 has only column C.
    ws["C5"] = "Élève à l'école ; où ?"
    other = wb.create_sheet("Ignorée")
    other["A1"] = "cette feuille ne doit pas être lue"
    wb.save("basic.xlsx")


def xlsxwriter_formulas():
    wb = xlsxwriter.Workbook("xlsxwriter.xlsx")
    ws = wb.add_worksheet("Données")
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    time_format = wb.add_format({"num_format": "hh:mm:ss"})
    ws.write_string(0, 0, "texte")
    ws.write_formula(0, 1, '="ab"&"cd"', None, "abcd")   # t="str" cached result
    ws.write_boolean(0, 2, False)
    ws.write_number(0, 3, 0.1)
    ws.write_datetime(1, 0, datetime.datetime(2024, 2, 29), date_format)
    ws.write_number(1, 1, 0.5, time_format)              # a time alone stays a number
    ws.write_number(1, 2, -42)
    ws.write_number(1, 3, 1e20)
    # Shared strings: accents, a line break, rich runs, and the same string twice.
    bold = wb.add_format({"bold": True})
    ws.write_string(2, 0, "Élève à l'école")
    ws.write_string(2, 1, "ligne 1\nligne 2")
    ws.write_rich_string(2, 2, "début ", bold, "gras", " fin")
    ws.write_string(2, 3, "Élève à l'école")
    wb.close()


def odfpy_basic():
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Feuille FAQ")

    def cell(value_type=None, text=None, repeat=None, **attrs):
        kwargs = dict(attrs)
        if value_type:
            kwargs["valuetype"] = value_type
        if repeat:
            kwargs["numbercolumnsrepeated"] = repeat
        c = TableCell(**kwargs)
        if text is not None:
            for paragraph in ([text] if isinstance(text, str) else text):
                c.addElement(P(text=paragraph))
        return c

    header = TableRow()
    for title in ["ID", "Question", "Nombre", "Expire le", "Booléen"]:
        header.addElement(cell("string", title))
    table.addElement(header)

    row = TableRow()
    row.addElement(cell("string", "conges"))
    row.addElement(cell("string", ["Première ligne", "Deuxième ligne"]))   # two paragraphs
    row.addElement(cell("float", "12345", value="12345"))
    row.addElement(cell("date", "31/01/2027", datevalue="2027-01-31"))
    row.addElement(cell("boolean", "VRAI", booleanvalue="true"))
    table.addElement(row)

    # Spaces (text:s with and without text:c), a tab, a line break, a span and a link.
    row = TableRow()
    c = TableCell(valuetype="string")
    p = P(text="a")
    p.addElement(S(c=3))
    p.addText("b")
    p.addElement(S())
    p.addText("c")
    p.addElement(Tab())
    p.addText("d")
    p.addElement(LineBreak())
    span = Span(text="gras ")
    p.addElement(span)
    link = A(href="https://example.org", text="lien")
    p.addElement(link)
    c.addElement(p)
    row.addElement(c)
    row.addElement(cell(repeat=2))                                   # two empty cells: C, D skipped
    row.addElement(cell("float", "2,5", value="2.5", repeat=3))     # D..F? no: columns 3, 4, 5
    note = cell("percentage", "50 %", value="0.5")
    annotation = Annotation()
    annotation.addElement(P(text="commentaire à ignorer"))
    note.insertBefore(annotation, note.firstChild)
    row.addElement(note)
    row.addElement(cell("time", "13:30:00", timevalue="PT13H30M00S"))
    row.addElement(cell("date", "31/01/2027 08:00", datevalue="2027-01-31T08:00:00"))
    row.addElement(cell("currency", "3,00 €", value="3", currency="EUR"))
    table.addElement(row)

    # Two empty rows, then a non-empty row repeated twice, then LibreOffice's huge empty tail.
    table.addElement(TableRow(numberrowsrepeated=2))
    row = TableRow(numberrowsrepeated=2)
    row.addElement(cell("string", "répété"))
    row.addElement(CoveredTableCell())
    row.addElement(cell("string", ""))                              # an empty string is still text
    row.addElement(cell(repeat=1000))
    table.addElement(row)
    tail = TableRow(numberrowsrepeated=1048570)
    tail.addElement(cell(repeat=1024))
    table.addElement(tail)
    doc.spreadsheet.addElement(table)

    second = Table(name="Ignorée")
    r = TableRow()
    r.addElement(cell("string", "ne pas lire"))
    second.addElement(r)
    doc.spreadsheet.addElement(second)
    doc.save("basic.ods")


CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
</Types>"""
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade_xlsx(path, sheet_xml, date1904=False, styles=None, shared=None, target="worksheets/sheet1.xml",
                  sheet_member="xl/worksheets/sheet1.xml", compression=zipfile.ZIP_DEFLATED):
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                f'<workbookPr{" date1904=&quot;1&quot;".replace("&quot;", chr(34)) if date1904 else ""}/>'
                f'<sheets><sheet name="Main" sheetId="1" r:id="rId7"/><sheet name="Autre" sheetId="2" r:id="rId8"/>'
                f'</sheets></workbook>')
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId8" Type="{REL}/worksheet" Target="worksheets/other.xml"/>'
            f'<Relationship Id="rId7" Type="{REL}/worksheet" Target="{target}"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        if styles:
            z.writestr("xl/styles.xml", f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" count="{len(shared)}">{items}</sst>')
        z.writestr(zipfile.ZipInfo(sheet_member), sheet_xml, compress_type=compression)
        z.writestr("xl/worksheets/other.xml", f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>autre</t></is></c></row></sheetData></worksheet>')


def worksheet(rows):
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


STYLES = """<numFmts count="3"><numFmt numFmtId="164" formatCode="[$-40C]d\\ mmmm\\ yyyy;@"/>
<numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="&quot;day&quot;\\ 0.00"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="14"><alignment wrapText="1"/></xf></cellXfs>"""


def handmade_cells():
    # Rows and cells without `r`, inline strings (plain, rich runs, phonetic run), t="str",
    # t="e", t="b", t="d", custom date/time/number formats, 1904 date system, absolute target.
    rows = ('<row><c t="inlineStr"><is><t>plain</t></is></c><c t="inlineStr"><is><r><t>ri</t></r><r><rPr><b/></rPr><t xml:space="preserve">ch </t></r>'
            '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></is></c><c t="str"><f>A1</f><v>formule</v></c></row>'
            '<row><c t="e"><v>#N/A</v></c><c t="b"><v>1</v></c><c t="d"><v>2027-01-31T00:00:00</v></c><c/><c s="1"><v>0</v></c></row>'
            '<row r="5"><c r="B5" s="1"><v>45688.75</v></c><c s="2"><v>1.5</v></c><c s="3"><v>7</v></c><c s="4"><v>1</v></c></row>'
            '<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve">  </t></is></c><c r="C6" t="inlineStr"><is><t/></is></c><c r="D6"><v></v></c></row>')
    handmade_xlsx("handmade_1904.xlsx", worksheet(rows), date1904=True, styles=STYLES,
                  target="/xl/worksheets/data.xml", sheet_member="xl/worksheets/data.xml")


def handmade_1900():
    # Excel's 1900 system: 1 = 01/01/1900, 59 = 28/02/1900, 60 = the fake 29/02/1900, 61 = 01/03/1900.
    cells = "".join(f'<c r="{col}1" s="1"><v>{serial}</v></c>' for col, serial in zip("ABCDEF", [1, 59, 60, 61, 45688, 2958465]))
    handmade_xlsx("dates_1900.xlsx", worksheet(f'<row r="1">{cells}</row><row r="2"><c r="AB2"><v>12345</v></c></row>'),
                  styles='<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>')


def hostile():
    handmade_xlsx("malformed_xml.xlsx", worksheet('<row r="1"><c r="A1"><v>1</v></row>'))
    handmade_xlsx("doctype.xlsx", '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                  f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>')
    handmade_xlsx("bad_shared_string.xlsx", worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>5</v></c></row>'),
                  shared=["seul"])
    handmade_xlsx("bzip2.xlsx", worksheet('<row r="1"><c r="A1"><v>1</v></c></row>'), compression=zipfile.ZIP_BZIP2)
    handmade_xlsx("too_many_columns.xlsx", worksheet('<row r="1"><c r="ALM1"><v>1</v></c><c r="XFD1" s="1"/></row>'))

    with open("basic.xlsx", "rb") as f:
        data = f.read()
    with open("truncated.xlsx", "wb") as f:
        f.write(data[: len(data) // 2])

    # Password-protected xlsx and legacy xls are OLE compound files: the magic is enough.
    with open("encrypted_ole.xlsx", "wb") as f:
        f.write(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))

    with zipfile.ZipFile("encrypted.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>'
                   '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                   '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1234">'
                   '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
                   '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
                   '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" manifest:salt="AAAA"/>'
                   '</manifest:encryption-data></manifest:file-entry></manifest:manifest>')
        z.writestr("content.xml", bytes(range(256)) * 4)

    # 300 MB of zeros in one member (~300 KB deflated): refused from its declared size.
    zeros = bytes(300 << 20)
    handmade_xlsx("bomb.xlsx", zeros)
    # The same kind of member whose headers lie (declared size 1 000 bytes): refused while inflating.
    handmade_xlsx("bomb_lying.xlsx", bytes(20 << 20))
    patch_sizes("bomb_lying.xlsx", "xl/worksheets/sheet1.xml", 1000)


def patch_sizes(path, member, declared):
    """Rewrites the uncompressed size of `member` in its local and central headers."""
    data = bytearray(open(path, "rb").read())
    name = member.encode()
    local = data.find(b"PK\x03\x04" + b"", 0)
    while local != -1:
        n, e = struct.unpack_from("<HH", data, local + 26)
        if data[local + 30: local + 30 + n] == name:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        n = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + n] == name:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    open(path, "wb").write(bytes(data))


if __name__ == "__main__":
    openpyxl_basic()
    xlsxwriter_formulas()
    odfpy_basic()
    handmade_cells()
    handmade_1900()
    hostile()
