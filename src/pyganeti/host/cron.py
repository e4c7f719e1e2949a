"""Five-field cron schedules: validation, and translation into systemd OnCalendar= values.

Schedules are written in cron syntax (``minute hour day-of-month month day-of-week``),
the one notation both supervisors understand; the Guix default for the watcher, an mcron
expression firing every five minutes, is ``*/5 * * * *`` here.
"""

from __future__ import annotations

from dataclasses import dataclass

# (name, lowest, highest) of the five fields, in order.
_FIELDS: tuple[tuple[str, int, int], ...] = (
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
)
_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")


class CronError(ValueError):
    """A schedule is not a valid five-field cron expression."""


@dataclass(frozen=True)
class CronSchedule:
    """A parsed cron expression: the set of values each field matches."""

    text: str
    fields: tuple[frozenset[int], ...]
    restricted: tuple[bool, ...]

    def on_calendar(self) -> str:
        """The systemd OnCalendar= value firing at the same times."""
        minute, hour, dom, month, dow = self.fields
        r_min, r_hour, r_dom, r_month, r_dow = self.restricted
        if r_dom and r_dow:
            # cron fires when EITHER day field matches, systemd when BOTH do; refuse
            # rather than silently change when the job runs.
            raise CronError(
                f"schedule {self.text!r} restricts both day of month and day of week;"
                " cron ORs them, systemd timers cannot: use one of them"
            )
        parts: list[str] = []
        if r_dow:
            days = sorted({d % 7 for d in dow})
            parts.append(",".join(_DAY_NAMES[d] for d in days))
        date = f"*-{_calendar_list(month, r_month, 2)}-{_calendar_list(dom, r_dom, 2)}"
        parts.append(date)
        parts.append(f"{_calendar_list(hour, r_hour, 2)}:{_calendar_list(minute, r_min, 2)}:00")
        return " ".join(parts)


def _calendar_list(values: frozenset[int], restricted: bool, width: int) -> str:
    if not restricted:
        return "*"
    return ",".join(f"{v:0{width}d}" for v in sorted(values))


def parse_cron(text: str) -> CronSchedule:
    """Parse a five-field cron expression; raise CronError naming the bad field."""
    parts = text.split()
    if len(parts) != 5:
        raise CronError(
            f"schedule {text!r} must have 5 fields (minute hour day month weekday),"
            f" has {len(parts)}"
        )
    fields: list[frozenset[int]] = []
    restricted: list[bool] = []
    for part, (name, low, high) in zip(parts, _FIELDS, strict=True):
        values = _parse_field(part, name, low, high, text)
        fields.append(frozenset(values))
        restricted.append(not part.startswith("*") or part.startswith("*/"))
    return CronSchedule(text, tuple(fields), tuple(restricted))


def _parse_field(part: str, name: str, low: int, high: int, text: str) -> set[int]:
    values: set[int] = set()
    for item in part.split(","):
        step = 1
        body = item
        if "/" in item:
            body, _, step_text = item.partition("/")
            step = _number(step_text, name, text)
            if step < 1:
                raise CronError(f"schedule {text!r}: {name} step must be at least 1")
        if body == "*":
            start, end = low, high
        elif "-" in body:
            a, _, b = body.partition("-")
            start, end = _number(a, name, text), _number(b, name, text)
        else:
            start = _number(body, name, text)
            end = high if "/" in item else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise CronError(f"schedule {text!r}: {name} {body!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def _number(text: str, name: str, whole: str) -> int:
    if not text.isdigit():
        raise CronError(f"schedule {whole!r}: {name} {text!r} is not a number")
    return int(text)


def check_cron(value: object) -> str | None:
    """Record check: None when `value` is a valid cron expression, else the problem."""
    if not isinstance(value, str):
        return None
    try:
        parse_cron(value).on_calendar()
    except CronError as err:
        return str(err)
    return None
