/**
 * `npm run addresses`: compares the stateful addresses in cdktf.out with the committed list
 * (stacks/stateful-addresses.json). `-- --update` rewrites the list from cdktf.out (do it in the
 * change that adds or deliberately moves a stateful resource, so review sees it). Exit 1 when an
 * address was lost without a `moved` block, or the list is out of date.
 */
import fs from "node:fs";
import path from "node:path";
import {
  checkAddresses,
  statefulAddresses,
  type AddressList,
} from "../modules/common/policy/addresses";
import { readAllStacks, readCdktfOut } from "./lib/cdktf-out";

const LIST = path.join("stacks", "stateful-addresses.json");
const USAGE = `usage: npm run addresses -- [--dir cdktf.out] [--update]`;

/** The command: argv after the script name; returns the exit code (run-app.mjs calls it). */
export function run(argv: string[]): number {
  let dir = "cdktf.out";
  let update = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--help" || argv[i] === "-h") {
      console.log(USAGE);
      return 0;
    }
    if (argv[i] === "--dir") dir = argv[++i] ?? "";
    else if (argv[i] === "--update") update = true;
    else {
      console.error(USAGE);
      return 2;
    }
  }
  const stacks = readAllStacks(readCdktfOut(dir));
  if (update) {
    fs.writeFileSync(LIST, `${JSON.stringify(statefulAddresses(stacks), null, 2)}\n`);
    console.log(`wrote ${LIST}`);
    return 0;
  }
  const committed = JSON.parse(fs.readFileSync(LIST, "utf8")) as AddressList;
  const { lost, moved, added } = checkAddresses(committed, stacks);
  for (const l of lost)
    console.log(`LOST   ${l.stack}: ${l.address} (no moved block: the next apply destroys it)`);
  for (const m of moved) console.log(`MOVED  ${m.stack}: ${m.from} → ${m.to}`);
  for (const a of added) console.log(`NEW    ${a.stack}: ${a.address}`);
  if (lost.length + moved.length + added.length === 0)
    console.log(`stateful addresses match ${LIST}`);
  return lost.length > 0 || moved.length > 0 || added.length > 0 ? 1 : 0;
}
