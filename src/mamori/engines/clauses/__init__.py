"""Engine: clauses (plain Python, no Django)."""
