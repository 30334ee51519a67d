"""The programme report as a PDF: content (what it says), charts and layout.

``report_content`` reads what the report shows, as a given user may see it;
``render`` lays it out with the embedded Japanese font. The service
``mamori.reports.services.report_pdf_create`` ties them together.
"""

from mamori.reports.pdf.content import FINDINGS_LISTED, ReportContent, report_content
from mamori.reports.pdf.layout import render

__all__ = ["FINDINGS_LISTED", "ReportContent", "render", "report_content"]
