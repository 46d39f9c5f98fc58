/** Bitnami object names, apart from the release construct so offline scripts need not load cdktf. */

/** Name Bitnami gives a release's objects: the release name when it contains the chart name. */
export function bitnamiFullname(release: string, chart: string): string {
  const name = release.includes(chart) ? release : `${release}-${chart}`;
  return name.slice(0, 63).replace(/-+$/, "");
}
