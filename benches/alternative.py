"""The typical alternative for benches/compare.sh: python-docx and openpyxl read every
paragraph, table cell and worksheet cell, and a regular expression looks for 11-digit numbers.
No labels, no headers, comments or hidden places, no checksums. Not part of the tool.

Usage: python alternative.py DIR [PROCESSES]
"""

import multiprocessing
import os
import re
import sys

import docx
import openpyxl

ELEVEN = re.compile(r"\b\d{11}\b")


def text_of(path):
    if path.lower().endswith(".docx"):
        d = docx.Document(path)
        parts = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                parts.extend(c.text for c in row.cells)
        return "\n".join(parts)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    parts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    book.close()
    return "\n".join(parts)


def scan(path):
    try:
        return len(ELEVEN.findall(text_of(path))), None
    except Exception as e:  # a file the libraries cannot read
        return 0, type(e).__name__


def main():
    root = sys.argv[1]
    processes = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    files = sorted(
        os.path.join(d, f)
        for d, _, names in os.walk(root)
        for f in names
        if f.lower().endswith((".docx", ".xlsx"))
    )
    with multiprocessing.Pool(processes) as pool:
        results = pool.map(scan, files, chunksize=8)
    failed = sum(1 for _, e in results if e)
    found = sum(n for n, _ in results)
    print(f"{len(files)} files, {failed} failed, {found} eleven-digit numbers")


if __name__ == "__main__":
    main()
