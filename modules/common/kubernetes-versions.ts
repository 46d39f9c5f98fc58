/**
 * Kubernetes minors and their end of standard support on each cloud, from the cited calendar in
 * facts/kubernetes-support.json. Defaults are minors in standard support; a pinned minor is judged
 * against today (like waiver expiry; STRATA_TODAY pins it): a warning ahead of its end, an error
 * after it. Loads no cdktf (the environment schema uses it).
 */
import SUPPORT from "../../facts/kubernetes-support.json";

/** EKS minor used when an environment names none (standard support until 2027-08-02). */
export const DEFAULT_EKS_VERSION = "1.36";
/** DOKS minor prefix used when an environment pins no version (supported until 2027-06-28). */
export const DEFAULT_DOKS_VERSION_PREFIX = "1.36.";
/** Days before the end of standard support at which synthesis starts warning. */
export const SUPPORT_WARNING_DAYS = 90;

/** Clouds whose calendar Strata reads: EKS, GKE and DOKS. */
export type SupportCalendar = "eks" | "gke" | "doks";

interface MinorFacts {
  readonly endOfStandardSupport?: string;
  readonly endOfSupport?: string;
  readonly estimated?: boolean;
  readonly source?: string;
}

const NAMES: Readonly<Record<SupportCalendar, string>> = {
  eks: "EKS",
  gke: "GKE",
  doks: "DigitalOcean Kubernetes",
};

/** The end of standard support of a minor on a cloud, with its source, or undefined when unknown. */
export function endOfStandardSupport(
  cloud: SupportCalendar,
  minor: string,
): { date: string; source: string; estimated: boolean } | undefined {
  const table = SUPPORT.clouds[cloud] as {
    source: string;
    minors: Record<string, MinorFacts>;
  };
  const facts = table.minors[minor];
  const date = facts?.endOfStandardSupport ?? facts?.endOfSupport;
  if (!facts || !date) return undefined;
  return { date, source: facts.source ?? table.source, estimated: facts.estimated === true };
}

/** The minors a cloud's calendar knows, newest first. */
export function knownMinors(cloud: SupportCalendar): string[] {
  return Object.keys((SUPPORT.clouds[cloud] as { minors: object }).minors).sort((a, b) =>
    b.localeCompare(a, undefined, { numeric: true }),
  );
}

/** Today as YYYY-MM-DD (UTC). */
export function isoToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A pinned minor judged against today: nothing, a warning, or an error, each with its fix. */
export type SupportVerdict =
  { readonly level: "ok" } | { readonly level: "warning" | "error"; readonly message: string };

/** Judges `minor` on `cloud` against `today` (YYYY-MM-DD). */
export function judgeMinor(cloud: SupportCalendar, minor: string, today: string): SupportVerdict {
  const name = NAMES[cloud];
  const newest = knownMinors(cloud).find((m) => {
    const end = endOfStandardSupport(cloud, m);
    return end !== undefined && daysBetween(today, end.date) > SUPPORT_WARNING_DAYS;
  });
  const move = newest ? `move to ${newest}` : "move to a minor in standard support";
  const end = endOfStandardSupport(cloud, minor);
  if (!end) {
    return {
      level: "error",
      message: `${name} ${minor} is not in the support calendar (facts/kubernetes-support.json knows ${knownMinors(cloud).join(", ")}): ${move}, or record its dates with their source`,
    };
  }
  return judgeEnd(end, today, {
    what: `standard support for ${name} ${minor}`,
    facts: "facts/kubernetes-support.json",
    ended: move,
    ending: move,
  });
}

/**
 * A support end judged against `today`: an error on or after it, a warning within
 * {@link SUPPORT_WARNING_DAYS}, else ok; each message names the calendar and what to do.
 */
export function judgeEnd(
  end: { readonly date: string; readonly estimated?: boolean },
  today: string,
  say: {
    readonly what: string;
    readonly facts: string;
    readonly ended: string;
    readonly ending: string;
  },
): SupportVerdict {
  const left = daysBetween(today, end.date);
  const when = `${end.date}${end.estimated ? " (estimated)" : ""} (${say.facts})`;
  if (left <= 0) return { level: "error", message: `${say.what} ended on ${when}: ${say.ended}` };
  if (left <= SUPPORT_WARNING_DAYS) {
    return {
      level: "warning",
      message: `${say.what} ends in ${left} days, on ${when}: ${say.ending}`,
    };
  }
  return { level: "ok" };
}
