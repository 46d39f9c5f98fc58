/** Image locations of the deprecated Bitnami releases. */

/** A resolved image source of a Bitnami release (the schema guarantees both parts). */
export function bitnamiImages(images: { registry?: string; namespace?: string }) {
  if (!images.registry || !images.namespace) {
    throw new Error(
      "a Bitnami release has no image location; set workloads.images.bitnami (the schema should have caught this)",
    );
  }
  return { registry: images.registry, namespace: images.namespace };
}
