"""Activities: the calendar, planning, each activity's page and the commands on it."""
