# Dutch writes abbreviated months and days in lower case: "di 15 dec".
EVENT_DAY_FORMAT = "D j b"
FIRST_DAY_OF_WEEK = 1
