# Dutch writes abbreviated months and days in lower case: "di 15 dec".
EVENT_MONTH_FORMAT = "b"
EVENT_DAY_FORMAT = "D j b"
FIRST_DAY_OF_WEEK = 1
# Staff tables: a short date in the language of the page ("8 okt 2026", "8 oct. 2026", "8 Oct 2026").
STAFF_DATE_FORMAT = "j b Y"
STAFF_DATETIME_FORMAT = "j b Y, H:i"
