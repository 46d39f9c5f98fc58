/**
 * Stand-ins for kubectl and the clouds' CLIs (gcloud, aws, doctl) for the rollout tests: small
 * shell scripts in a temporary folder, put first on PATH. Each logs `KUBECONFIG=<value> <tool>
 * <args>` to `<bin>/calls`; the cloud CLIs write a kubeconfig with the context they would write
 * (gcloud's gke_<project>_<location>_<name>, the others' --alias) to the file they are pointed at;
 * kubectl fails as `kubectl` says: when its arguments contain `failing`, it prints `stderr` and
 * exits 1.
 */
import fs from "node:fs";
import path from "node:path";

export interface FakeKubectl {
  /** Substring of kubectl's arguments that makes it fail (`--raw=/readyz` for the probe). */
  readonly failing?: string;
  /** What it prints to stderr when it fails. */
  readonly stderr?: string;
}

const LOG = (tool: string, bin: string) =>
  `echo "KUBECONFIG=$KUBECONFIG ${tool} $*" >> "${bin}/calls"\n`;

/** A shell script that writes a one-context kubeconfig ($ctx) to $kc. */
const WRITE_KUBECONFIG = `mkdir -p "$(dirname "$kc")"
cat > "$kc" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: fake
    cluster: { server: "https://127.0.0.1:9" }
users:
  - name: fake
    user: {}
contexts:
  - name: $ctx
    context: { cluster: fake, user: fake }
current-context: $ctx
YAML
`;

/** The fake CLIs in a new folder under `parent`; returns the folder. */
export function fakeClis(parent: string, kubectl: FakeKubectl = {}): string {
  const bin = fs.mkdtempSync(path.join(parent, "bin-"));
  const parseArgs = `kc="$KUBECONFIG"; ctx=""; loc=""; proj=""; prev=""
for a in "$@"; do
  case "$prev" in --alias) ctx="$a";; --location) loc="$a";; --project) proj="$a";; --kubeconfig) kc="$a";; esac
  prev="$a"
done
`;
  const write = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}`, { mode: 0o755 });
  write(
    "gcloud",
    `${LOG("gcloud", bin)}${parseArgs}ctx="gke_\${proj}_\${loc}_$4"\n${WRITE_KUBECONFIG}`,
  );
  write("aws", `${LOG("aws", bin)}${parseArgs}${WRITE_KUBECONFIG}`);
  write("doctl", `${LOG("doctl", bin)}${parseArgs}${WRITE_KUBECONFIG}`);
  const failing = kubectl.failing ?? "no-such-argument";
  const stderr = (kubectl.stderr ?? "error: failed").replace(/'/g, "'\\''");
  write(
    "kubectl",
    `${LOG("kubectl", bin)}case "$*" in *'${failing}'*) printf '%s\\n' '${stderr}' >&2; exit 1;; esac\n`,
  );
  return bin;
}

/** The logged calls, one line each. */
export function calls(bin: string): string[] {
  const file = path.join(bin, "calls");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n") : [];
}
