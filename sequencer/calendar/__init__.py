"""Sending calendar: business days, sending windows, holidays and time zones.

Pure functions: no I/O, no database, no clock. Every moment is passed in by the caller and
every returned moment is an aware UTC datetime.

Model: a *business day* is a local date (in the prospect's zone) whose weekday is one of the
schedule's days and which is not a holiday of the chosen calendar. The *window* of a local
date D is the set of real instants whose local wall-clock time lies in [window_start,
window_end) on D. DST is handled by splitting the UTC span around the window into pieces of
constant UTC offset, so a spring-forward gap shortens the window (its first instant is the
first real instant after the gap) and a fall-back overlap lengthens it (both occurrences of a
wall time inside the window count). Only one offset change is assumed within one day's window
span, which holds for every zone in tzdata for modern dates.
"""
from sequencer.calendar.days import business_days_between, holiday_name, nth_business_day
from sequencer.calendar.due import Due, explain, is_open, next_due
from sequencer.calendar.schedule import DEFAULTS, Schedule, ScheduleError

__all__ = [
    "DEFAULTS",
    "Due",
    "Schedule",
    "ScheduleError",
    "business_days_between",
    "explain",
    "holiday_name",
    "is_open",
    "next_due",
    "nth_business_day",
]
