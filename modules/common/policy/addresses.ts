/**
 * Stable addresses: a Terraform address (`<type>.<logical id>`) is a resource's identity in state.
 * A refactor that changes the address of a stateful resource destroys it on the next apply, unless
 * a `moved` block says where it went. The committed list (stacks/stateful-addresses.json) holds
 * every stateful address per stack; `checkAddresses` says which disappeared without a move.
 */
import type { StackJson } from "./engine";
import { STATEFUL_TYPES } from "./rules";

/** Stack name → sorted stateful addresses. */
export type AddressList = Record<string, string[]>;

const STATEFUL = new Set<string>(STATEFUL_TYPES);

/** The stateful addresses of each stack, sorted, stacks in name order. */
export function statefulAddresses(stacks: ReadonlyMap<string, StackJson>): AddressList {
  const out: AddressList = {};
  for (const name of [...stacks.keys()].sort()) {
    const json = stacks.get(name)!;
    const addrs = Object.entries(json.resource ?? {})
      .filter(([type]) => STATEFUL.has(type))
      .flatMap(([type, byName]) => Object.keys(byName).map((id) => `${type}.${id}`))
      .sort();
    if (addrs.length > 0) out[name] = addrs;
  }
  return out;
}

/** Result of comparing the committed list with the app. */
export interface AddressCheck {
  /** Committed addresses missing from the app with no `moved` block from them. */
  readonly lost: ReadonlyArray<{ stack: string; address: string }>;
  /** Addresses that moved (a `moved` block covers them): fine, but update the list. */
  readonly moved: ReadonlyArray<{ stack: string; from: string; to: string }>;
  /** New stateful addresses not yet in the list. */
  readonly added: ReadonlyArray<{ stack: string; address: string }>;
}

/** Compares the committed list with what the app synthesizes now. */
export function checkAddresses(
  committed: AddressList,
  stacks: ReadonlyMap<string, StackJson>,
): AddressCheck {
  const current = statefulAddresses(stacks);
  const lost: Array<{ stack: string; address: string }> = [];
  const moved: Array<{ stack: string; from: string; to: string }> = [];
  const added: Array<{ stack: string; address: string }> = [];
  for (const [stack, addresses] of Object.entries(committed)) {
    const json = stacks.get(stack) as
      (StackJson & { moved?: Array<{ from: string; to: string }> }) | undefined;
    const now = new Set(current[stack] ?? []);
    for (const address of addresses) {
      if (now.has(address)) continue;
      const move = json?.moved?.find((m) => m.from === address);
      if (move) moved.push({ stack, from: address, to: move.to });
      else lost.push({ stack, address });
    }
  }
  for (const [stack, addresses] of Object.entries(current)) {
    const before = new Set(committed[stack] ?? []);
    for (const address of addresses) if (!before.has(address)) added.push({ stack, address });
  }
  return { lost, moved, added };
}
