"""Writes of the export-control area: licences and judgements, catch-all checks, the
end-user list and screening, the disclosure gate, foreign investment."""
