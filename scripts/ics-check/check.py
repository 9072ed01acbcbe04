"""Parses an iCalendar file with three independent Python parsers and prints, as JSON, what
each found: the number of events and every event's UID, start (UTC, or a date for all-day
events), SEQUENCE, STATUS and alarms (each trigger in minutes, negative before the start). Exits non-zero, naming the parser, on any parse or validation
error. Used by the end-to-end tests, which compare the answers with ical.js's and ours."""

import datetime
import json
import sys


def iso(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError(f"floating time {value} (no time zone)")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise ValueError(f"unexpected start {value!r}")


def minutes(delta):
    if not isinstance(delta, datetime.timedelta):
        raise ValueError(f"an alarm triggers at {delta!r}, not relative to the start")
    return int(delta.total_seconds() // 60)


def summary(rows):
    rows = sorted(rows, key=lambda r: r["uid"])
    return {"events": len(rows), "items": rows}


def with_icalendar(text):
    import icalendar

    cal = icalendar.Calendar.from_ical(text)
    errors = [e for c in cal.walk() for e in getattr(c, "errors", [])]
    if errors:
        raise ValueError(f"errors: {errors}")
    rows = []
    for e in cal.walk("VEVENT"):
        rows.append({
            "uid": str(e["UID"]),
            "start": iso(e.decoded("DTSTART")),
            "sequence": int(e.get("SEQUENCE", 0)),
            "status": str(e.get("STATUS", "")),
            "summary": str(e.get("SUMMARY", "")),
            "alarms": sorted(minutes(a.decoded("TRIGGER")) for a in e.subcomponents if a.name == "VALARM"),
        })
    return summary(rows)


def with_vobject(text):
    import vobject

    cal = vobject.readOne(text, validate=True)
    rows = []
    for e in cal.contents.get("vevent", []):
        e.validate(raiseException=True)
        rows.append({
            "uid": e.uid.value,
            "start": iso(e.dtstart.value),
            "sequence": int(e.sequence.value) if hasattr(e, "sequence") else 0,
            "status": e.status.value if hasattr(e, "status") else "",
            "summary": e.summary.value if hasattr(e, "summary") else "",
            "alarms": sorted(minutes(a.trigger.value) for a in e.contents.get("valarm", [])),
        })
    return summary(rows)


def with_ical(text):
    from ical.calendar_stream import IcsCalendarStream

    cal = IcsCalendarStream.calendar_from_ics(text)
    rows = []
    for e in cal.events:
        rows.append({
            "uid": e.uid,
            "start": iso(e.dtstart),
            "sequence": int(e.sequence or 0),
            "status": e.status.value if e.status else "",
            "summary": e.summary or "",
            "alarms": sorted(minutes(a.trigger) for a in e.alarm),
        })
    return summary(rows)


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    out = {}
    for name, parse in (("icalendar", with_icalendar), ("vobject", with_vobject), ("ical", with_ical)):
        try:
            out[name] = parse(text)
        except Exception as e:  # noqa: BLE001 - report any parser's failure, by name
            print(f"{name} rejected {path}: {type(e).__name__}: {e}", file=sys.stderr)
            sys.exit(1)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
