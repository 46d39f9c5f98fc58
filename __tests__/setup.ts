// cdktf's jest matchers (toHaveResource, toHaveResourceWithProperties, toHaveProvider, …).
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();

/**
 * cdktf formats a full stack trace into a plain object for every token it creates (main.ts says
 * more). Under jest each of those frames goes through source-map-support: a sixth of the suite's
 * time. Plain objects get an empty trace here, as in main.ts; real errors keep jest's source-mapped
 * stack traces.
 */
const mapped = Error.prepareStackTrace;
Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
  error !== null && typeof error === "object" && Object.getPrototypeOf(error) === Object.prototype
    ? ""
    : mapped
      ? mapped(error as Error, frames)
      : `${String(error)}${frames.map((f) => `\n    at ${String(f)}`).join("")}`;
