import { loadEnvironments } from "../../../environments";
import { ConfigError } from "../../../environments/errors";
import { judgeChart, releaseLine } from "../../../modules/common/chart-support";
import CALENDAR from "../../../facts/chart-support.json";

describe("platform charts against their release lines' end of support", () => {
  test("release lines", () => {
    expect(releaseLine("v1.9.0")).toBe("v1.9");
    expect(releaseLine("1.21.1")).toBe("v1.21");
  });

  test("ok well ahead, a warning within 90 days, an error after; a line not in the calendar is not judged", () => {
    expect(judgeChart("gateway-helm", "v1.9.0", "2026-09-01")).toEqual({ level: "ok" });
    expect(judgeChart("gateway-helm", "v1.9.0", "2026-11-30")).toEqual({
      level: "warning",
      message: expect.stringMatching(/Envoy Gateway v1\.9 .* ends in 76 days, on 2027-02-14/),
    });
    expect(judgeChart("gateway-helm", "v1.9.3", "2027-02-14")).toMatchObject({ level: "error" });
    expect(judgeChart("cert-manager", "v1.18.2", "2026-11-30")).toEqual({
      level: "error",
      message: expect.stringMatching(
        /cert-manager v1\.18 \(chart cert-manager v1\.18\.2\) ended on 2026-03-10/,
      ),
    });
    expect(judgeChart("argo-cd", "7.8.23", "2030-01-01")).toEqual({ level: "ok" });
  });

  test("every line has a date and a source; estimates say so", () => {
    for (const chart of Object.values(CALENDAR.charts)) {
      for (const line of Object.values(chart.lines) as Array<{
        endOfLife: string;
        source: string;
        estimated?: boolean;
      }>) {
        expect(line.endOfLife).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(line.source).toMatch(
          line.estimated
            ? /^estimated: /
            : /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//,
        );
      }
    }
  });

  test("synthesis: the seeds warn about Envoy Gateway v1.9 on 2026-11-30, naming the field", () => {
    const { warnings } = loadEnvironments({ today: "2026-11-30", envs: "prod" });
    expect(warnings.filter((w) => w.path.includes(".workloads.charts."))).toEqual([
      {
        path: "prod.workloads.charts.envoyGateway",
        message: expect.stringMatching(/ends in 76 days/),
      },
    ]);
  });
});

test("a guest installs no platform chart, so none is judged", () => {
  const { warnings } = loadEnvironments({ today: "2026-11-30", envs: "staging" });
  expect(warnings.filter((w) => w.path.startsWith("staging.workloads.charts."))).toEqual([]);
});

test("ConfigError is what an expired line raises", () => {
  expect(() => loadEnvironments({ today: "2027-02-15", envs: "dev" })).toThrow(ConfigError);
});
