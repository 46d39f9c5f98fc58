/**
 * The one Aspect that puts the standard labels/tags (environment, team, owner, managed-by, and an
 * environment's extra labels) on everything a stack creates:
 * - GCP: the provider's `default_labels` (every labelled resource inherits them);
 * - AWS: the provider's `default_tags`;
 * - DigitalOcean: `key:value` tags on every resource that takes tags as labels (not a monitor
 *   alert, whose tags choose the droplets it watches).
 * Labels the code sets explicitly win over these defaults.
 */
import { TerraformDataSource, type IAspect, type TerraformElement } from "cdktf";
import type { IConstruct } from "constructs";

/** Label map: keys and values valid on GCP, AWS and DigitalOcean. */
export type Labels = Readonly<Record<string, string>>;

interface Typed {
  readonly terraformResourceType?: string;
}

/** Applies standard labels to providers and taggable resources in a scope. */
export class StandardLabels implements IAspect {
  constructor(private readonly labels: Labels) {}

  visit(node: IConstruct): void {
    const type = (node as Typed).terraformResourceType;
    // Written as raw overrides: cdktf would snake_case map keys set through the typed properties
    // (managed-by → managed_by).
    if (type === "google") {
      const p = node as unknown as TerraformElement & { defaultLabels?: Record<string, string> };
      p.addOverride("default_labels", { ...this.labels, ...(p.defaultLabels ?? {}) });
    } else if (type === "aws") {
      const p = node as unknown as TerraformElement & {
        defaultTags?: Array<{ tags?: Record<string, string> }>;
      };
      const existing = Array.isArray(p.defaultTags) ? (p.defaultTags[0]?.tags ?? {}) : {};
      p.addOverride("default_tags", [{ tags: { ...this.labels, ...existing } }]);
    } else if (
      type?.startsWith("digitalocean_") &&
      // A monitor alert's `tags` selects the droplets it watches: a label there would widen it.
      type !== "digitalocean_monitor_alert" &&
      "tagsInput" in node &&
      // A data source's `tags` is not a label: the DigitalOcean data sources read tags back.
      !(node instanceof TerraformDataSource)
    ) {
      const r = node as unknown as { tags: string[]; tagsInput?: string[] };
      const own = r.tagsInput ?? [];
      const standard = Object.entries(this.labels).map(([k, v]) => `${k}:${v}`);
      r.tags = [...new Set([...standard, ...own])].sort();
    }
  }
}
