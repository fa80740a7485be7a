# Django's "en" is American (12/03/2026, Dec. 3, 2026, 2:30 p.m.). Werkwijs's English
# readers work in European organisations: day before month and a 24-hour clock, as
# the Dutch pages have. Input formats stay Django's (date fields send ISO dates).
DATE_FORMAT = "j F Y"  # 3 December 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 3 December 2026, 14:30
MONTH_DAY_FORMAT = "j F"  # 3 December
SHORT_DATE_FORMAT = "d/m/Y"  # 03/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 03/12/2026 14:30
FIRST_DAY_OF_WEEK = 1  # Monday
