"""The dashboard as an Excel workbook (openpyxl): one sheet per picture, its table."""

from __future__ import annotations

import io
from collections.abc import Sequence

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from portal.charts.data import Figure


def workbook(figures: Sequence[Figure], *, title: str) -> bytes:
    """The tables of ``figures``, each on its sheet with a native Excel chart beside it."""
    book = Workbook()
    book.remove(book.active)
    for figure in figures:
        sheet = book.create_sheet(figure.kind)
        sheet["A1"] = figure.title
        sheet["A1"].font = Font(bold=True, size=12)
        header = [_("区分"), *(series.label for series in figure.series), _("合計")]
        sheet.append([])
        sheet.append(header)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for index, category in enumerate(figure.categories):
            values = [series.values[index] for series in figure.series]
            sheet.append([category, *values, sum(values)])
        last = 3 + len(figure.categories)
        for label, value in figure.extra:
            sheet.append([])
            sheet.append([label, value])
        if figure.note:
            sheet.append([])
            sheet.append([figure.note])
        sheet.column_dimensions["A"].width = 34
        if figure.categories:
            chart = BarChart()
            chart.type = "col"
            chart.grouping = "stacked"
            chart.overlap = 100
            chart.title = figure.title
            data = Reference(
                sheet, min_col=2, max_col=1 + len(figure.series), min_row=3, max_row=last
            )
            chart.add_data(data, titles_from_data=True)
            chart.set_categories(Reference(sheet, min_col=1, min_row=4, max_row=last))
            sheet.add_chart(chart, "H3")
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
