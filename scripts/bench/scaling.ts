/** The scaling series of `npm run bench`: generated environments and a linear fit. */
import fs from "node:fs";
import path from "node:path";
import { loadEnvironments } from "../../environments";

/** `n` copies of prod, each with its own name and non-overlapping networks, as an env file. */
export function generateCopies(n: number, dir: string): { file: string; names: string[] } {
  const prod = loadEnvironments().all.find((e) => e.name === "prod");
  if (!prod) throw new Error("the scaling series copies the prod environment, and there is none");
  const copies = Array.from({ length: n }, (_, i) => {
    const name = `bench${i}`;
    const copy = JSON.parse(JSON.stringify(prod)) as Record<string, unknown> & {
      targets: { digitalocean?: { network: { ipRange: string } } };
      workloads: { namespace: string };
      backend: { keyPrefix?: string; prefix?: string };
    };
    copy.name = name;
    copy.workloads.namespace = name;
    if (copy.backend.keyPrefix) copy.backend.keyPrefix = name;
    if (copy.backend.prefix) copy.backend.prefix = name;
    // 172.16.0.0/12 holds 256 disjoint /20s: one per copy, none overlapping the seeds' 10.x ranges.
    if (copy.targets.digitalocean)
      copy.targets.digitalocean.network.ipRange = `172.${16 + (i >> 4)}.${(i & 15) << 4}.0/20`;
    return copy;
  });
  const file = path.join(dir, `copies-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(copies));
  return { file, names: copies.map((c) => c.name as string) };
}

/** Least-squares slope and intercept. */
export function fit(points: Array<[number, number]>): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}
