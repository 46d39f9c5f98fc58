/** The edge in the environment schema: apps' hosts and paths, the zone, ACME, load balancers. */
import type { EnvironmentInput } from "../../environments/schema";
import type { AppConfigInput, WorkloadsInput } from "../../environments/schema/workloads";
import { envInput, problems, testEnv } from "../support/env";

const app = (extra: Partial<AppConfigInput> = {}): AppConfigInput => ({
  image: { repository: "ghcr.io/x/app", tag: "1.0.0" },
  ...extra,
});
/** One DOKS cluster, so an app runs on one cloud. */
function one(
  workloads: WorkloadsInput,
  overrides: Partial<EnvironmentInput> = {},
): EnvironmentInput {
  return envInput({
    targets: {
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
    workloads: { edge: { acme: { email: "ops@example.com" } }, ...workloads },
    ...overrides,
  });
}
/** GKE, EKS and DOKS clusters: an app runs on three clouds. */
function three(workloads: WorkloadsInput): EnvironmentInput {
  return envInput({
    targets: {
      gcp: { project: "strata-test", region: "europe-west1", cluster: {} },
      aws: { region: "eu-west-1", cluster: {} },
      digitalocean: { region: "fra1", network: { ipRange: "10.200.0.0/20" }, cluster: {} },
    },
    workloads: { edge: { acme: { email: "ops@example.com" } }, ...workloads },
  });
}

describe("apps with hosts", () => {
  test("valid: one list on one cluster, per cloud on three; paths default to /", () => {
    expect(problems(one({ apps: { web: app({ hosts: ["www.example.com"] }) } }))).toEqual([]);
    const input = three({
      apps: {
        web: app({
          hosts: {
            gcp: ["g.example.com"],
            aws: ["a.example.com"],
            digitalocean: ["d.example.com"],
          },
        }),
        api: app({ hosts: { gcp: ["g.example.com"] }, paths: ["/api", "/v2"] }),
      },
    });
    expect(problems(input)).toEqual([]);
    const w = testEnv(input).workloads;
    expect(w.apps.web!.paths).toEqual(["/"]);
    expect(w.apps.api!.paths).toEqual(["/api", "/v2"]);
    expect(w.edge.acme).toEqual({ email: "ops@example.com", server: "staging" });
  });

  test.each([
    ["API.example.com", /apps\.web\.hosts\[0\]: "API\.example\.com" is not a DNS name/],
    ["*.example.com", /wildcard: Let's Encrypt issues wildcard certificates only through DNS-01/],
    ["localhost", /"localhost" has no domain/],
    ["10.0.0.1", /is an IP address/],
    ["a_b.example.com", /label "a_b"/],
  ])("a host that is not a DNS name Strata can certify: %s", (host, message) => {
    expect(problems(one({ apps: { web: app({ hosts: [host] }) } })).join("\n")).toMatch(message);
  });

  test.each([
    ["api", /must start with \//],
    ["/api/", /ends with \/; write "\/api"/],
    ["/a//b", /contains "\/\/"/],
    ["/a/%2F", /contains "%2F"/],
    ["/a/..", /contains "\/\.\."/],
  ])("a path a route cannot take: %s", (path, message) => {
    expect(
      problems(one({ apps: { web: app({ hosts: ["w.example.com"], paths: [path] }) } })).join("\n"),
    ).toMatch(message);
  });

  test("two apps claiming the same host and path", () => {
    const p = problems(
      one({
        apps: { web: app({ hosts: ["w.example.com"] }), www: app({ hosts: ["w.example.com"] }) },
      }),
    );
    expect(p.join("\n")).toMatch(/www and web both claim w\.example\.com\/ on digitalocean/);
    // The same host with different paths is fine.
    expect(
      problems(
        one({
          apps: {
            web: app({ hosts: ["w.example.com"] }),
            api: app({ hosts: ["w.example.com"], paths: ["/api"] }),
          },
        }),
      ),
    ).toEqual([]);
  });

  test("a host outside the environment's zone", () => {
    const p = problems(
      one({
        edge: { zone: "dev.example.com", acme: { email: "ops@example.com" } },
        apps: {
          web: app({ hosts: ["www.example.com"] }),
          ok: app({ hosts: ["ok.dev.example.com"] }),
        },
      }),
    );
    expect(p).toEqual([
      "test.workloads.apps.web.hosts: www.example.com is outside the environment's zone dev.example.com (workloads.edge.zone); use a name under dev.example.com",
    ]);
  });

  test("a route for an app with no HTTP port", () => {
    expect(
      problems(one({ apps: { db: app({ hosts: ["db.example.com"], protocol: "tcp" }) } })).join(
        "\n",
      ),
    ).toMatch(/db has protocol "tcp": it has no HTTP port to route to/);
  });

  test("a chart from a repository: Strata does not know its Service", () => {
    const chart = { repository: "https://charts.example.com", name: "x", version: "1.0.0" };
    expect(
      problems(one({ apps: { x: app({ chart, hosts: ["x.example.com"] }) } })).join("\n"),
    ).toMatch(/runs a chart from a repository, whose Service Strata does not know/);
  });

  test("one host list for an app on three clusters; hosts for a cloud it does not run on", () => {
    expect(
      problems(three({ apps: { web: app({ hosts: ["w.example.com"] }) } })).join("\n"),
    ).toMatch(
      /web runs on gcp, aws, digitalocean, and a host name points at one load balancer; give hosts per cloud/,
    );
    expect(
      problems(
        three({
          apps: {
            web: app({
              clouds: ["gcp"],
              hosts: { gcp: ["g.example.com"], aws: ["a.example.com"] },
            }),
          },
        }),
      ).join("\n"),
    ).toMatch(/web does not run on aws \(it runs on gcp\); remove hosts\.aws/);
  });

  test("hosts without an ACME account; paths without hosts", () => {
    const input = one({
      apps: { web: app({ hosts: ["w.example.com"] }), api: app({ paths: ["/api"] }) },
    });
    (input.workloads as WorkloadsInput).edge = {};
    const p = problems(input).join("\n");
    expect(p).toMatch(/apps with hosts need certificates: set workloads\.edge\.acme\.email/);
    expect(p).toMatch(/apps\.api\.paths: paths without hosts route nothing/);
  });

  test("hosts need Envoy Gateway and cert-manager on the environment's own clusters", () => {
    const p = problems(
      one({
        platform: { envoyGateway: { enabled: false }, certManager: { enabled: false } },
        apps: { web: app({ hosts: ["w.example.com"] }) },
      }),
    ).join("\n");
    expect(p).toMatch(/platform\.envoyGateway\.enabled: apps with hosts need Envoy Gateway/);
    expect(p).toMatch(/platform\.certManager\.enabled: apps with hosts need cert-manager/);
  });
});

describe("ingress-nginx is retired", () => {
  test("a config that still asks for it is told what to do", () => {
    expect(problems(one({ platform: { ingressNginx: { enabled: true } } })).join("\n")).toMatch(
      /ingress-nginx is retired .* remove workloads\.platform\.ingressNginx/,
    );
  });
});

describe("ACME directory by tier", () => {
  test("Let's Encrypt staging for dev, production for staging and prod unless set", () => {
    const base = one({ apps: { web: app({ hosts: ["w.example.com"] }) } });
    expect(testEnv(base).workloads.edge.acme!.server).toBe("staging");
    const prod = testEnv({
      ...base,
      tier: "prod",
      backend: { type: "gcs", bucket: "tfstate-test" },
    });
    expect(prod.workloads.edge.acme!.server).toBe("production");
  });
});

describe("load balancers", () => {
  test("an annotation the cloud's controller does not read, or one that needs the AWS Load Balancer Controller", () => {
    const p = problems(
      one({
        edge: {
          acme: { email: "ops@example.com" },
          loadBalancer: {
            digitalocean: {
              annotations: { "service.beta.kubernetes.io/do-loadbalancer-sze-unit": "2" },
            },
            aws: {
              annotations: {
                "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
                "service.beta.kubernetes.io/aws-load-balancer-type": "external",
              },
            },
          },
        },
      }),
    ).join("\n");
    expect(p).toMatch(
      /do-loadbalancer-sze-unit is not an annotation digitalocean's load-balancer controller reads/,
    );
    expect(p).toMatch(
      /aws-load-balancer-scheme is not an annotation aws's .* AWS Load Balancer Controller/,
    );
    expect(p).toMatch(/aws-load-balancer-type: "external" makes EKS's controller skip the Service/);
  });

  test("Elastic IPs: one per public subnet, and none on an internal load balancer", () => {
    const eip = (n: number, internal = false) =>
      one({
        edge: {
          acme: { email: "ops@example.com" },
          loadBalancer: {
            aws: {
              internal,
              eipAllocations: Array.from({ length: n }, (_, i) => `eipalloc-0000000${i}`),
            },
          },
        },
      });
    expect(problems(eip(2))).toEqual([]);
    expect(problems(eip(3)).join("\n")).toMatch(/3 Elastic IP allocations for 2 public subnets/);
    expect(problems(eip(2, true)).join("\n")).toMatch(
      /an internal load balancer has no public addresses/,
    );
  });
});
