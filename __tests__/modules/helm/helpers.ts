/** Shared fixtures of the Helm module tests. */
import { Testing } from "cdktf";
import type { Construct } from "constructs";
import type { TfJson } from "../../support/synth";

/** Synthesizes constructs built in a fresh scope and parses the JSON. */
export function synthScope(build: (scope: Construct) => void): TfJson {
  return JSON.parse(Testing.synthScope(build)) as TfJson;
}

/** Standard props of a Bitnami module in tests. */
export const BITNAMI = {
  namespace: "test",
  images: { registry: "registry.example.com", namespace: "mirror" },
  storageClass: "standard-rwo",
  labels: { environment: "test", team: "core" },
} as const;

/** Every image block in a values tree: its path and value. */
export function imagesIn(values: unknown, path = ""): Array<[string, Record<string, unknown>]> {
  if (values === null || typeof values !== "object" || Array.isArray(values)) return [];
  return Object.entries(values as Record<string, unknown>).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    if (k === "image" && v && typeof v === "object") return [[p, v as Record<string, unknown>]];
    return imagesIn(v, p);
  });
}
