"""Cron schedules and their systemd OnCalendar translation."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pyganeti.host.cron import CronError, check_cron, parse_cron


@pytest.mark.parametrize(
    ("cron", "calendar"),
    [
        ("*/5 * * * *", "*-*-* *:00,05,10,15,20,25,30,35,40,45,50,55:00"),
        ("45 1 * * *", "*-*-* 01:45:00"),
        ("45 2 * * *", "*-*-* 02:45:00"),
        ("0 0 1 1-3 *", "*-01,02,03-01 00:00:00"),
        ("30 6 * * 1-5", "Mon,Tue,Wed,Thu,Fri *-*-* 06:30:00"),
        ("0 12 * * 7", "Sun *-*-* 12:00:00"),
        ("0 0-23/6 * * *", "*-*-* 00,06,12,18:00:00"),
    ],
)
def test_on_calendar(cron: str, calendar: str) -> None:
    assert parse_cron(cron).on_calendar() == calendar


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_translations() -> None:
    for cron in ("*/5 * * * *", "45 1 * * *", "30 6 * * 1-5"):
        result = subprocess.run(
            ["systemd-analyze", "calendar", parse_cron(cron).on_calendar()],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("* * * *", "5 fields"),
        ("60 * * * *", "minute '60' is outside 0-59"),
        ("* 24 * * *", "hour"),
        ("* * 0 * *", "day of month"),
        ("* * * 13 *", "month"),
        ("* * * * 8", "day of week"),
        ("a * * * *", "not a number"),
        ("*/0 * * * *", "step"),
        ("5-1 * * * *", "outside"),
        ("0 0 1 * 1", "cron ORs them"),
    ],
)
def test_bad_schedules(cron: str, message: str) -> None:
    with pytest.raises(CronError, match=message):
        parse_cron(cron).on_calendar()
    assert check_cron(cron) is not None
