"""Django-free engines: plain Python, tested on their own. Apps store what they return."""
