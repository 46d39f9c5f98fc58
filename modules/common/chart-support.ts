/**
 * The platform charts' release lines and their end of support, from the cited calendar in
 * facts/chart-support.json, judged like Kubernetes minors: a warning SUPPORT_WARNING_DAYS ahead
 * of the end, an error after it. A line the calendar does not know is not judged.
 */
import CALENDAR from "../../facts/chart-support.json";
import { judgeEnd, type SupportVerdict } from "./kubernetes-versions";

interface Line {
  readonly endOfLife: string;
  readonly estimated?: boolean;
  readonly source: string;
}
type Charts = Record<string, { name: string; lines: Record<string, Line> }>;

/** The release line of a version: `v1.9.0` → `v1.9`. */
export function releaseLine(version: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  return m ? `v${m[1]}.${m[2]}` : version;
}

/** Judges a chart version against `today` (YYYY-MM-DD). */
export function judgeChart(chart: string, version: string, today: string): SupportVerdict {
  const entry = (CALENDAR.charts as Charts)[chart];
  const line = entry?.lines[releaseLine(version)];
  if (!entry || !line) return { level: "ok" };
  return judgeEnd({ date: line.endOfLife, estimated: line.estimated }, today, {
    what: `support for ${entry.name} ${releaseLine(version)} (chart ${chart} ${version})`,
    facts: "facts/chart-support.json",
    ended: "pin a release line still supported",
    ending: "plan the move to the next release line",
  });
}
