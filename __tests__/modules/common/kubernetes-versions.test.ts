import { BUILTIN_ENVIRONMENTS, loadEnvironments } from "../../../environments";
import {
  DEFAULT_DOKS_VERSION_PREFIX,
  DEFAULT_EKS_VERSION,
  endOfStandardSupport,
  judgeMinor,
  knownMinors,
  SUPPORT_WARNING_DAYS,
} from "../../../modules/common/kubernetes-versions";
import SUPPORT from "../../../facts/kubernetes-support.json";
import { ConfigError } from "../../../environments/errors";

describe("the support calendar (facts/kubernetes-support.json)", () => {
  test("every minor of every cloud has an end date and a source", () => {
    for (const cloud of ["eks", "gke", "doks"] as const) {
      expect(knownMinors(cloud).length).toBeGreaterThan(3);
      for (const minor of knownMinors(cloud)) {
        const end = endOfStandardSupport(cloud, minor)!;
        expect(end.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(end.source).toMatch(/\S{10}/);
      }
    }
    expect(SUPPORT.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test("the defaults are in standard support for longer than the warning window, as of the calendar's date", () => {
    expect(judgeMinor("eks", DEFAULT_EKS_VERSION, SUPPORT.asOf)).toEqual({ level: "ok" });
    expect(judgeMinor("doks", DEFAULT_DOKS_VERSION_PREFIX.slice(0, -1), SUPPORT.asOf)).toEqual({
      level: "ok",
    });
  });

  test("a minor is ok, then a warning within the window, then an error from its end date", () => {
    // EKS 1.34: end of standard support 2026-12-02 (AWS release calendar).
    expect(endOfStandardSupport("eks", "1.34")?.date).toBe("2026-12-02");
    expect(judgeMinor("eks", "1.34", "2026-06-01")).toEqual({ level: "ok" });
    expect(judgeMinor("eks", "1.34", "2026-11-30")).toEqual({
      level: "warning",
      message: expect.stringMatching(
        /^standard support for EKS 1\.34 ends in 2 days, on 2026-12-02 .*: move to 1\.36$/,
      ),
    });
    expect(judgeMinor("eks", "1.34", "2026-12-02")).toEqual({
      level: "error",
      message: expect.stringMatching(/^standard support for EKS 1\.34 ended on 2026-12-02/),
    });
    expect(SUPPORT_WARNING_DAYS).toBe(90);
  });

  test("a minor the calendar does not know is an error that names the known ones", () => {
    expect(judgeMinor("eks", "1.20", "2026-11-30")).toEqual({
      level: "error",
      message: expect.stringMatching(
        /^EKS 1\.20 is not in the support calendar .*knows 1\.36, 1\.35/,
      ),
    });
  });
});

/**
 * The seeds with platform chart lines the chart calendar does not know (modules/common/chart-support.ts
 * judges those), so these tests see the Kubernetes calendar alone.
 */
const builtins = BUILTIN_ENVIRONMENTS.map((e) => ({
  ...e,
  workloads: e.workloads && {
    ...e.workloads,
    charts: { ...e.workloads.charts, envoyGateway: "v9.9.0", certManager: "v9.9.0" },
  },
}));

describe("synthesis judges the pinned minors against today (STRATA_TODAY)", () => {
  test("the seeds: no warning on the calendar's date", () => {
    const k8s = loadEnvironments({ today: SUPPORT.asOf }).warnings.filter((w) =>
      w.path.includes(".targets."),
    );
    expect(k8s).toEqual([]);
  });

  test("warnings ahead of the end, naming the field", () => {
    const { warnings } = loadEnvironments({ today: "2027-06-01", envs: "prod", builtins });
    expect(warnings.map((w) => w.path).filter((p) => p.includes(".targets."))).toEqual([
      "prod.targets.aws.cluster.version",
      "prod.targets.digitalocean.cluster.versionPrefix",
    ]);
  });

  test("errors after it: nothing is synthesized", () => {
    let error: unknown;
    try {
      loadEnvironments({ today: "2027-08-03", envs: "prod", builtins });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(
      (error as ConfigError).problems.map((p) => p.path).filter((p) => p.includes(".targets.")),
    ).toEqual([
      "prod.targets.aws.cluster.version",
      "prod.targets.digitalocean.cluster.versionPrefix",
    ]);
  });

  test("a STRATA_TODAY that is not a date", () => {
    expect(() => loadEnvironments({ today: "tomorrow" })).toThrow(
      /STRATA_TODAY.*"tomorrow" is not a date/s,
    );
  });
});
