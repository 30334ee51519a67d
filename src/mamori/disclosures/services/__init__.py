"""Writes: the disclosure ledger, samples lent out, exhibitions (one module each)."""
