"""Engine: codenames (plain Python, no Django)."""
