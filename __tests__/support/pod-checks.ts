/**
 * What the API server refuses in a pod template, checked on rendered manifests: duplicate volume
 * names, a mount of a volume that does not exist, two mounts at one path in a container,
 * duplicate or over-long port names, a probe on a named port the container does not declare,
 * duplicate container names. (Kubernetes validation: pkg/apis/core/validation, ValidatePodSpec.)
 */

interface Container {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}
interface Probe {
  httpGet?: { port: number | string };
  tcpSocket?: { port: number | string };
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: Array<{ name: string }>;
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** Every problem the API server would report for one pod spec, as sentences. */
export function podSpecProblems(spec: PodSpec): string[] {
  const problems: string[] = [];
  const volumes = (spec.volumes ?? []).map((v) => v.name);
  for (const d of duplicates(volumes)) problems.push(`volume name "${d}" is used twice`);
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  for (const d of duplicates(containers.map((c) => c.name)))
    problems.push(`container name "${d}" is used twice`);
  for (const c of containers) {
    const mounts = c.volumeMounts ?? [];
    for (const m of mounts)
      if (!volumes.includes(m.name))
        problems.push(`container ${c.name} mounts volume "${m.name}", which the pod does not have`);
    for (const d of duplicates(mounts.map((m) => m.mountPath)))
      problems.push(`container ${c.name} mounts two volumes at ${d}`);
    const portNames = (c.ports ?? []).flatMap((p) => (p.name ? [p.name] : []));
    for (const d of duplicates(portNames))
      problems.push(`container ${c.name} names two ports "${d}"`);
    for (const n of portNames)
      if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(n) || !/[a-z]/.test(n))
        problems.push(
          `container ${c.name}: port name "${n}" is not an IANA_SVC_NAME (≤ 15 characters)`,
        );
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
      if (typeof port === "string" && !portNames.includes(port))
        problems.push(
          `container ${c.name}: a probe uses port "${port}", which the container does not name`,
        );
    }
  }
  return problems;
}

/** The pod specs in rendered manifests (Deployments, StatefulSets, Jobs, CronJobs, Pods), by name. */
export function podSpecs(
  docs: ReadonlyArray<{ kind: string; metadata: { name: string }; spec?: unknown }>,
) {
  return docs.flatMap((d) => {
    const spec = d.spec as Record<string, unknown> | undefined;
    const pod =
      d.kind === "Pod"
        ? spec
        : d.kind === "CronJob"
          ? ((spec?.jobTemplate as { spec?: { template?: { spec?: unknown } } })?.spec?.template
              ?.spec as Record<string, unknown> | undefined)
          : ((spec?.template as { spec?: unknown } | undefined)?.spec as
              Record<string, unknown> | undefined);
    return pod ? [{ name: `${d.kind}/${d.metadata.name}`, spec: pod as PodSpec }] : [];
  });
}
