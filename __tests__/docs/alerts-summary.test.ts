/**
 * The README's alerts paragraph quotes tier defaults in prose (the full table is generated in
 * docs/alerts-and-backups.md); this keeps the quoted numbers equal to the code's.
 */
import fs from "node:fs";
import path from "node:path";
import { ALERT_TIER_DEFAULTS } from "../../environments/schema/alerts";

const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Alerts and backups"),
  readme.indexOf("## Commands"),
);
const tiers = ["dev", "staging", "prod"] as const;
const d = ALERT_TIER_DEFAULTS;
const prose = (s: string) => s.replace(/\s+/g, " ");

test("the README's alerts paragraph quotes the tier defaults the schema applies", () => {
  const text = prose(section);
  expect(text).toContain(`backlog ${tiers.map((t) => d[t].thresholds.backlogMessages).join("/")}`);
  expect(text).toContain(
    `oldest ${tiers.map((t) => d[t].thresholds.oldestMessageSeconds / 60).join("/")} min`,
  );
  expect(d.prod.severities.deadLetter).toBe("critical");
  expect(d.staging.severities.deadLetter).toBe("warning");
  expect(text).toContain("dead letters critical in prod");
  const bigtable = tiers.map((t) => d[t].backups.bigtableRetentionDays || "off").join("/");
  expect(text).toContain(`Bigtable backups ${bigtable} days`);
  expect(d.staging.backups.awsBackupRetentionDays).toBe(0);
  expect(text).toContain(`AWS Backup ${d.prod.backups.awsBackupRetentionDays} days in prod`);
});
