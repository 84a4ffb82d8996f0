// Reads .ics files with Mozilla's ical.js (Thunderbird's parser) and prints, as JSON, what a
// client would show: each event's UTC start and end, and its identifying fields.
// Usage: node read_calendars.mjs FILE.ics... — the Python tests compare this with the content.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const utc = (time) => time.toJSDate().toISOString().replace(".000Z", "Z");
const text = (component, name) => {
  const value = component.getFirstPropertyValue(name);
  return value === null ? null : value.toString();
};

const files = {};
for (const path of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf-8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  files[path] = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      start: utc(event.startDate),
      end: utc(event.endDate),
      sequence: event.sequence,
      dtstamp: utc(component.getFirstPropertyValue("dtstamp")),
      last_modified: utc(component.getFirstPropertyValue("last-modified")),
      url: text(component, "url"),
      status: text(component, "status"),
    };
  });
}
process.stdout.write(JSON.stringify(files));
