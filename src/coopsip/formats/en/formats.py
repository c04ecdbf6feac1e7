DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1
# The month on an event's date badge: "Dec" in English, "dec" and "déc" in Dutch and French.
EVENT_MONTH_FORMAT = "M"
EVENT_DAY_FORMAT = "D j M"
# Staff tables: a short date in the language of the page ("8 okt 2026", "8 oct. 2026", "8 Oct 2026").
STAFF_DATE_FORMAT = "j M Y"
STAFF_DATETIME_FORMAT = "j M Y, H:i"
