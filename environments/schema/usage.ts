/**
 * Nothing idle, nothing over-granted: every cloud-native event store, bus, subscription, queue,
 * workload identity and managed database exists because an app of this environment uses it, or
 * the config says why (`reason` on the section). An identity grants only what its app uses on
 * that cloud (least privilege); a subscription or queue nobody reads fills up and costs money.
 */
import { appClouds, choiceOn, type ConfigCloud, type WorkloadContext } from "./workloads";

type Issue = (path: PropertyKey[], message: string) => void;
type Workloads = Parameters<typeof appClouds>[1];

interface Identity {
  readonly app: string;
  readonly eventStore?: string;
  readonly publishes: readonly string[];
  readonly subscribes?: readonly string[];
  readonly consumes?: readonly string[];
}

interface NativeTarget {
  readonly eventStore?: { readonly reason?: string };
  readonly pubsub?: { readonly reason?: string; readonly subscriptions: Record<string, unknown> };
  readonly messaging?: {
    readonly reason?: string;
    readonly consumers: ReadonlyArray<{ readonly name: string }>;
  };
  readonly workloadIdentities: readonly Identity[];
}

/** What each cloud's native store and bus are called, and where their config lives. */
const NATIVE = {
  gcp: {
    store: "bigtable",
    bus: "pubsub",
    busSection: "pubsub",
    reads: "subscribes",
    queue: "subscription",
    queues: (t: NativeTarget) =>
      Object.keys(t.pubsub?.subscriptions ?? {}).map((name) => ({
        name,
        path: ["pubsub", "subscriptions", name],
      })),
  },
  aws: {
    store: "dynamodb",
    bus: "sns-sqs",
    busSection: "messaging",
    reads: "consumes",
    queue: "consumer queue",
    queues: (t: NativeTarget) =>
      (t.messaging?.consumers ?? []).map((c, i) => ({
        name: c.name,
        path: ["messaging", "consumers", i],
      })),
  },
} as const;

/** Targets as the environment's fields hold them (the parts this check reads). */
export interface UsageTargets {
  readonly gcp?: unknown;
  readonly aws?: unknown;
  readonly digitalocean?: {
    readonly databases?: {
      readonly reason?: string;
      readonly postgres?: unknown;
      readonly redis?: unknown;
      readonly kafka?: unknown;
    };
  };
}

/** Checks that every native resource has a user (paths are relative to the environment). */
export function checkCloudUsage(
  targets: UsageTargets,
  workloads: Workloads,
  ctx: WorkloadContext,
  issue: Issue,
): void {
  const apps = workloads?.apps ?? {};
  const runningOn = (cloud: ConfigCloud) =>
    Object.entries(apps)
      .filter(([name, app]) => appClouds(app, workloads, ctx, name).includes(cloud))
      .map(([name, app]) => ({ name, app }));

  for (const cloud of ["gcp", "aws"] as const) {
    const t = targets[cloud] as NativeTarget | undefined;
    if (!t) continue;
    const n = NATIVE[cloud];
    const at = (path: PropertyKey[]) => ["targets", cloud, ...path];
    const running = runningOn(cloud);
    const storeOf = (name: string) =>
      choiceOn(running.find((r) => r.name === name)?.app.eventStore, cloud);
    const busOf = (name: string) => choiceOn(running.find((r) => r.name === name)?.app.bus, cloud);
    const storeUsers = new Set<string>();
    const busUsers = new Set<string>();
    const read = new Set<string>();

    t.workloadIdentities.forEach((w, i) => {
      const reads = (cloud === "gcp" ? w.subscribes : w.consumes) ?? [];
      if (!running.some((r) => r.name === w.app)) {
        issue(
          at(["workloadIdentities", i, "app"]),
          `workload identity "${w.app}": no app "${w.app}" runs on ${cloud} in this environment, so nothing uses its grants; remove it (least privilege)`,
        );
        return;
      }
      if (w.eventStore) {
        if (storeOf(w.app) === n.store) storeUsers.add(w.app);
        else
          issue(
            at(["workloadIdentities", i, "eventStore"]),
            `workload identity "${w.app}" is granted the ${n.store} event store, but app "${w.app}" uses ${storeOf(w.app) ?? "no event store"} on ${cloud}; remove eventStore from the identity (least privilege)`,
          );
      }
      if (w.publishes.length + reads.length > 0) {
        if (busOf(w.app) === n.bus) {
          busUsers.add(w.app);
          for (const q of reads) read.add(q);
        } else
          issue(
            at(["workloadIdentities", i, w.publishes.length > 0 ? "publishes" : n.reads]),
            `workload identity "${w.app}" is granted ${n.bus} (publishes/${n.reads}), but app "${w.app}" uses ${busOf(w.app) ?? "no bus"} on ${cloud}; remove those grants (least privilege)`,
          );
      }
    });

    const apps = running.map((r) => r.name).join(", ") || "none";
    if (t.eventStore && storeUsers.size === 0 && !t.eventStore.reason) {
      issue(
        at(["eventStore"]),
        `no app of this environment uses the ${n.store} event store on ${cloud} (apps on ${cloud}: ${apps}), so it would cost money for nothing; remove targets.${cloud}.eventStore, or say why it exists with reason: "…"`,
      );
    }
    const bus = t[n.busSection];
    if (bus && !bus.reason) {
      if (busUsers.size === 0) {
        issue(
          at([n.busSection]),
          `no app of this environment uses ${n.bus} on ${cloud} (apps on ${cloud}: ${apps}); remove targets.${cloud}.${n.busSection}, or say why it exists with reason: "…"`,
        );
      } else {
        for (const q of n.queues(t)) {
          if (read.has(q.name)) continue;
          issue(
            at(q.path),
            `${n.queue} "${q.name}": no app reads it (no workload identity of an app on ${n.bus} lists it in ${n.reads}), so its messages pile up unread; remove it, or add it to the reading app's workloadIdentities[].${n.reads}`,
          );
        }
      }
    }
  }

  const managed = targets.digitalocean?.databases;
  if (managed && !managed.reason) {
    const kinds = (["postgres", "redis", "kafka"] as const).filter((k) => managed[k] !== undefined);
    if (kinds.length > 0) {
      issue(
        ["targets", "digitalocean", "databases"],
        `managed ${kinds.join(", ")} on DigitalOcean: no app is wired to managed databases (apps use the in-cluster services of workloads.databases and workloads.buses), so ${kinds.length > 1 ? "they" : "it"} would be paid for and unused; remove targets.digitalocean.databases, or say who reads its Secret with reason: "…"`,
      );
    }
  }
}
