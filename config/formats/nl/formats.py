# Django's "nl" short date is 3-12-2026; in tables the usual Dutch 03-12-2026 keeps
# columns of dates aligned. Everything else is Django's (3 december 2026, 14:30).
SHORT_DATE_FORMAT = "d-m-Y"  # 03-12-2026
SHORT_DATETIME_FORMAT = "d-m-Y H:i"  # 03-12-2026 14:30
