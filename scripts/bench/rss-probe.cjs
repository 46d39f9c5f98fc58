// Preloaded into every node process of a benchmarked command (NODE_OPTIONS=--require): on exit,
// appends "<pid> <ppid> <maxRSS KiB>" to $STRATA_RSS_FILE. process.resourceUsage() is the OS's
// own accounting (getrusage), so figures match /usr/bin/time -v's "Maximum resident set size".
const fs = require("node:fs");

const file = process.env.STRATA_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      fs.appendFileSync(file, `${process.pid} ${process.ppid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // the benchmark reports missing figures; never fail the measured program
    }
  });
}
