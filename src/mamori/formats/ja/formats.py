# Django's Japanese formats, with a space between date and time ("2026年11月26日 19:16").
DATETIME_FORMAT = "Y年n月j日 G:i"
SHORT_DATETIME_FORMAT = "Y/m/d G:i"
