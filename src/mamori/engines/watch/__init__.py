"""Engine: watch (plain Python, no Django)."""
