/**
 * Refactoring without replacement: when a resource's address changes between the last applied
 * synthesis (the base) and the new one while the physical resource stays the same, the new stack
 * gets an OpenTofu `moved` block, so `tofu plan` shows a move instead of destroy + create. The
 * same matching tells the review which removals and additions are moves, and which moves cross
 * stacks (those need state surgery: the steps are printed, nothing is emitted).
 *
 * Matching, per stack and resource type, between addresses only the base has and addresses only
 * the new synthesis has, each pass keeping only one-to-one matches:
 * 1. the same configuration, with references to other resources reduced to their type;
 * 2. the same configuration once references are mapped through the moves already found (a route
 *    table association follows its moved subnet);
 * 3. the same identity: every name-like attribute (name, node_group_name, metadata.name, …) and
 *    force-new attribute of stateful types (modules/common/stateful-resources.ts) equal.
 * Anything else stays a removal and an addition, as before.
 */
import { STATEFUL_RESOURCES } from "../modules/common/stateful-resources";

/** Terraform JSON of one stack (the parts moves read and write). */
export interface MovableStack {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  moved?: Array<{ from: string; to: string }>;
  [key: string]: unknown;
}

/** One move inside a stack. */
export interface Move {
  readonly from: string;
  readonly to: string;
  /** Why the two are the same resource. */
  readonly by: "configuration" | "references" | "identity";
}

/** A resource that left one stack for another: state surgery, not a `moved` block. */
export interface CrossStackMove {
  readonly type: string;
  readonly from: { readonly stack: string; readonly address: string };
  readonly to: { readonly stack: string; readonly address: string };
  /** The commands, in order, each run in the named stack's directory. */
  readonly steps: readonly string[];
}

/** Attributes that name a resource: equal ones across a rename mean the same object. */
const IDENTITY_ATTRIBUTES = [
  "name",
  "node_group_name",
  "bucket",
  "account_id",
  "instance_id",
  "addon_name",
  "cluster_name",
  "topic_arn",
  "endpoint",
  "queue_url",
  "cidr_block",
  "availability_zone",
  "ip_cidr_range",
  "role",
  "policy_arn",
  "principal_arn",
  "metadata.name",
  "metadata.namespace",
];

const REF_RE = /(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+/g;

/** `aws_sqs_queue.Queue-orders` → `aws_sqs_queue` */
const typeOf = (address: string) => address.slice(0, address.indexOf("."));

/** Every resource of a stack, by address (`type.name`). */
export function addresses(tf: MovableStack): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [type, blocks] of Object.entries(tf.resource ?? {}))
    for (const [name, block] of Object.entries(blocks)) out.set(`${type}.${name}`, block);
  return out;
}

/** A block without cdktf's metadata, as text with its references rewritten by `ref`. */
function text(block: Record<string, unknown>, ref: (address: string) => string): string {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== "//")
              .map(([k, x]) => [k, strip(x)]),
          )
        : typeof v === "string"
          ? v.replace(REF_RE, (m) => ref(m))
          : v;
  return JSON.stringify(strip(block));
}

function valueAt(block: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => {
    if (Array.isArray(node)) node = node[0];
    return node !== null && typeof node === "object"
      ? (node as Record<string, unknown>)[key]
      : undefined;
  }, block);
}

/** One-to-one pairs of `lost` and `added` with equal keys (a key of undefined never matches). */
function pairs(
  lost: readonly string[],
  added: readonly string[],
  key: (address: string, side: "lost" | "added") => string | undefined,
): Array<[string, string]> {
  const index = (list: readonly string[], side: "lost" | "added") => {
    const m = new Map<string, string[]>();
    for (const a of list) {
      const k = key(a, side);
      if (k !== undefined) m.set(k, [...(m.get(k) ?? []), a]);
    }
    return m;
  };
  const l = index(lost, "lost");
  const r = index(added, "added");
  const out: Array<[string, string]> = [];
  for (const [k, from] of l) {
    const to = r.get(k);
    if (from.length === 1 && to?.length === 1) out.push([from[0], to[0]]);
  }
  return out;
}

/** The moves inside one stack, from its base synthesis to the new one. */
export function findMoves(before: MovableStack, after: MovableStack): Move[] {
  const old = addresses(before);
  const now = addresses(after);
  const known = new Set([...old.keys(), ...now.keys()]);
  const moves: Move[] = [];
  const moved = new Map<string, string>();
  const remaining = () => ({
    lost: [...old.keys()].filter((a) => !now.has(a) && !moved.has(a)),
    added: [...now.keys()].filter((a) => !old.has(a) && ![...moved.values()].includes(a)),
  });
  const record = (found: Array<[string, string]>, by: Move["by"]) => {
    for (const [from, to] of found) {
      if (typeOf(from) !== typeOf(to)) continue;
      moved.set(from, to);
      moves.push({ from, to, by });
    }
    return found.length;
  };
  const byType = (
    fn: (type: string, lost: string[], added: string[]) => Array<[string, string]>,
  ) => {
    const { lost, added } = remaining();
    const types = new Set(lost.map(typeOf));
    return [...types].flatMap((t) =>
      fn(
        t,
        lost.filter((a) => typeOf(a) === t),
        added.filter((a) => typeOf(a) === t),
      ),
    );
  };
  const typeOnly = (m: string) => (known.has(m) ? `${typeOf(m)}.*` : m);
  // 1. The same configuration, references reduced to their type.
  record(
    byType((_t, lost, added) =>
      pairs(lost, added, (a, side) => text((side === "lost" ? old : now).get(a)!, typeOnly)),
    ),
    "configuration",
  );
  // 2. and 3., until neither finds more: the same configuration once references are mapped
  // through the moves found so far, then the same identity (mapped the same way), so a
  // subscription follows its moved topic and queue even when a setting changed with the rename.
  const mapped = (m: string) => moved.get(m) ?? m;
  const same = (m: string) => m;
  for (;;) {
    let found = record(
      byType((_t, lost, added) =>
        pairs(lost, added, (a, side) =>
          side === "lost" ? text(old.get(a)!, mapped) : text(now.get(a)!, same),
        ),
      ),
      "references",
    );
    found += record(
      byType((type, lost, added) => {
        const paths = [
          ...IDENTITY_ATTRIBUTES,
          ...(STATEFUL_RESOURCES[type]?.forceNew ?? []).filter((p) => !p.includes("*")),
        ];
        const identity = (block: Record<string, unknown>, ref: (m: string) => string) => {
          const values = paths
            .map((p) => [p, valueAt(block, p)] as const)
            .filter(([, v]) => v !== undefined && v !== null);
          return values.length > 0 ? text(Object.fromEntries(values), ref) : undefined;
        };
        return pairs(lost, added, (a, side) =>
          side === "lost" ? identity(old.get(a)!, mapped) : identity(now.get(a)!, same),
        );
      }),
      "identity",
    );
    if (found === 0) break;
  }
  return moves.sort((a, b) => a.to.localeCompare(b.to));
}

/** `after` with a `moved` block per move (sorted, so the output stays deterministic). */
export function withMoves(after: MovableStack, moves: readonly Move[]): MovableStack {
  if (moves.length === 0) return after;
  return { ...after, moved: moves.map((m) => ({ from: m.from, to: m.to })) };
}

/**
 * Resources that left one stack and arrived in another (same type and identity): OpenTofu cannot
 * move state between two states with a `moved` block, so these come with the steps: remove the
 * object from the old stack's state, import it into the new one. `movesInside`: the moves within
 * each stack, when the caller has them already. @default - found here
 */
export function findCrossStackMoves(
  before: ReadonlyMap<string, MovableStack>,
  after: ReadonlyMap<string, MovableStack>,
  movesInside?: ReadonlyMap<string, readonly Move[]>,
): CrossStackMove[] {
  const inside = new Map<string, Set<string>>();
  for (const [stack, tf] of after) {
    const base = before.get(stack);
    const moves = movesInside ? (movesInside.get(stack) ?? []) : base ? findMoves(base, tf) : [];
    inside.set(stack, new Set(moves.flatMap((m) => [m.from, m.to])));
  }
  /** Resources of `side` whose stack on the other side lacks them, moves inside a stack aside. */
  const unmatched = (
    side: ReadonlyMap<string, MovableStack>,
    other: ReadonlyMap<string, MovableStack>,
  ) =>
    [...side].flatMap(([stack, tf]) => {
      const there = other.get(stack);
      const otherAddrs = there ? addresses(there) : new Map();
      return [...addresses(tf)]
        .filter(([address]) => !otherAddrs.has(address) && !inside.get(stack)?.has(address))
        .map(([address, block]) => ({ stack, address, block }));
    });
  const lost = unmatched(before, after);
  const added = unmatched(after, before);
  const identity = (e: (typeof lost)[number]) => {
    const type = typeOf(e.address);
    const values = IDENTITY_ATTRIBUTES.map((p) => [p, valueAt(e.block, p)] as const).filter(
      ([, v]) => typeof v === "string" && !v.includes("${"),
    );
    return values.length > 0 ? `${type} ${JSON.stringify(values)}` : undefined;
  };
  const out: CrossStackMove[] = [];
  for (const l of lost) {
    const key = identity(l);
    if (key === undefined) continue;
    const candidates = added.filter((a) => a.stack !== l.stack && identity(a) === key);
    if (candidates.length !== 1) continue;
    const a = candidates[0];
    const type = typeOf(l.address);
    out.push({
      type,
      from: { stack: l.stack, address: l.address },
      to: { stack: a.stack, address: a.address },
      steps: [
        `(cd cdktf.out/stacks/${l.stack} && tofu state rm '${l.address}')`,
        `(cd cdktf.out/stacks/${a.stack} && tofu import '${a.address}' <id>)   # <id>: the ${type}'s import id (see the provider docs' Import section)`,
      ],
    });
  }
  return out;
}
