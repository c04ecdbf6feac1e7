"""Date and time formats per language (FORMAT_MODULE_PATH), over Django's own.

English pages read "15 December 2026, 08:00" (the site is Belgian: day first, 24-hour clock),
never "Dec. 15, 2026 8 a.m."; Dutch and French keep Django's formats. ``EVENT_DAY_FORMAT`` is
the short day of the events list ("Tue 15 Dec", "di 15 dec", "mar 15 déc").
"""
