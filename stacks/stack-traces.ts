/**
 * cdktf records where every token was created by formatting a full stack trace (unlimited depth)
 * into a plain object: a fifth of synthesis time, used only to decorate resolution errors, and
 * under jest, where source-map-support maps every frame, a quarter of the test suite's time.
 */

/**
 * Gives plain objects an empty stack trace. Real errors keep the formatter installed before (jest's
 * source maps) or, without one, V8's standard format.
 */
export function skipTokenStackTraces(): void {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
    error !== null && typeof error === "object" && Object.getPrototypeOf(error) === Object.prototype
      ? ""
      : previous
        ? previous(error as Error, frames)
        : `${String(error)}${frames.map((f) => `\n    at ${String(f)}`).join("")}`;
}
