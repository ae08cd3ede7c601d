// Shared helpers of the devnet scripts: strict command-line parsing, a small
// JSON-RPC 2.0 client over fetch (with batches and timeouts), the compiled
// contracts, and the deployment file. Node 20, no dependencies beyond
// contrib/node/node_modules.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

export const require = createRequire(new URL('../node/package.json', import.meta.url));

export const kBuildFile = new URL('./build/contracts.json', import.meta.url);
export const kChainId = 56; // SPEC 7: BSC mainnet chain id, used by the devnet too
export const kMnemonic = 'test test test test test test test test test test test junk'; // anvil's default
export const kTst = 10n ** 18n; // 1 TST in wei (18 decimals, SPEC 3.1)

// A user-facing failure: printed as "<script>: <message>" and exit status 1
// (2 for usage errors), never a stack trace.
export class DevnetError extends Error {
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}
export const usageError = (message) => new DevnetError(message, 2);

// Runs main() and turns any failure into a one-line message and a non-zero exit.
// Exits only once stdout and stderr are flushed: a large output to a pipe is
// written asynchronously, and process.exit would cut it short.
export function runMain(script, main) {
  const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
  const exit = async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  };
  main().then(
    () => exit(0),
    (err) => {
      const message = err instanceof DevnetError ? err.message : (err && err.stack) || String(err);
      process.stderr.write(`${script}: ${message}\n`);
      return exit(err instanceof DevnetError ? err.exitCode : 1);
    },
  );
}

// Parses `--name value` / `--name=value` / `--flag`. spec: {name: {type: 'string'|'int'|'bool', default, required}}.
export function parseArgs(script, argv, spec, usage) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(usage + '\n');
      process.exit(0);
    }
    if (!arg.startsWith('--')) throw usageError(`unexpected argument '${arg}'\n${usage}`);
    let name = arg.slice(2);
    let value;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const def = spec[name];
    if (!def) throw usageError(`unknown flag '--${name}'\n${usage}`);
    if (def.type === 'bool') {
      if (value !== undefined) throw usageError(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw usageError(`--${name} needs a value`);
      value = argv[++i];
    }
    if (def.type === 'int') {
      if (!/^[0-9]+$/.test(value)) throw usageError(`--${name}: '${value}' is not a non-negative integer`);
      const n = Number(value);
      if (!Number.isSafeInteger(n)) throw usageError(`--${name}: ${value} is too large`);
      out[name] = n;
    } else {
      out[name] = value;
    }
  }
  for (const [name, def] of Object.entries(spec)) {
    if (out[name] !== undefined) continue;
    if (def.required) throw usageError(`missing --${name}\n${usage}`);
    out[name] = def.default !== undefined ? def.default : def.type === 'bool' ? false : undefined;
  }
  return out;
}

// ---- JSON-RPC ----

export class Rpc {
  constructor(url, { timeoutMs = 120_000 } = {}) {
    try {
      const u = new URL(url);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw usageError(`--rpc: '${url}' is not an http(s) URL`);
    }
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.nextId = 1;
  }

  async post(body) {
    let res;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const cause = err.cause ? `${err.cause.code || ''} ${err.cause.message || ''}`.trim() : err.message;
      throw new DevnetError(`node at ${this.url} unreachable: ${cause}`);
    }
    const text = await res.text();
    if (!res.ok) throw new DevnetError(`node at ${this.url}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new DevnetError(`node at ${this.url}: invalid JSON answer: ${text.slice(0, 300)}`);
    }
  }

  async call(method, params = []) {
    const reply = await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params });
    if (reply.error) {
      const data = reply.error.data !== undefined ? ` (data: ${JSON.stringify(reply.error.data).slice(0, 300)})` : '';
      throw new DevnetError(`${method}: ${reply.error.message}${data}`);
    }
    return reply.result;
  }

  // calls: [[method, params], ...] -> results in order. Batches of `chunk`.
  async batch(calls, chunk = 200) {
    const results = [];
    for (let i = 0; i < calls.length; i += chunk) {
      const part = calls.slice(i, i + chunk);
      const base = this.nextId;
      this.nextId += part.length;
      const body = part.map(([method, params], j) => ({ jsonrpc: '2.0', id: base + j, method, params }));
      const reply = await this.post(body);
      if (!Array.isArray(reply)) {
        throw new DevnetError(`batch answer is not an array: ${JSON.stringify(reply).slice(0, 300)}`);
      }
      const byId = new Map(reply.map((r) => [r.id, r]));
      for (let j = 0; j < part.length; j++) {
        const r = byId.get(base + j);
        if (!r) throw new DevnetError(`batch: no answer for ${part[j][0]}`);
        if (r.error) throw new DevnetError(`${part[j][0]}: ${r.error.message}`);
        results.push(r.result);
      }
    }
    return results;
  }

  async chainId() {
    return Number(BigInt(await this.call('eth_chainId')));
  }

  async blockNumber() {
    return Number(BigInt(await this.call('eth_blockNumber')));
  }

  async block(tag) {
    const b = await this.call('eth_getBlockByNumber', [typeof tag === 'number' ? hexQty(tag) : tag, false]);
    if (!b) throw new DevnetError(`block ${tag} not found`);
    return b;
  }
}

export const hexQty = (n) => '0x' + BigInt(n).toString(16);

// Refuses a node that is not the devnet (chain id 56).
export async function expectDevnet(rpc) {
  const id = await rpc.chainId();
  if (id !== kChainId) throw new DevnetError(`node at ${rpc.url} has chain id ${id}, expected ${kChainId}`);
}

// ---- compiled contracts and the deployment file ----

export function loadBuild() {
  let text;
  try {
    text = readFileSync(kBuildFile, 'utf8');
  } catch {
    throw new DevnetError('contrib/devnet/build/contracts.json missing: run `node contrib/devnet/build.mjs` first');
  }
  return JSON.parse(text);
}

export function loadDeployment(path) {
  let d;
  try {
    d = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw usageError(`--deployment: cannot read ${path}: ${err.message}`);
  }
  const roles = ['tst', 'escrow', 'staking', 'compute_reserve'];
  if (!d.contracts || roles.some((r) => !/^0x[0-9a-f]{40}$/.test(d.contracts[r] || '')) || !Array.isArray(d.users)) {
    throw usageError(`--deployment: ${path} is not a deployment file written by deploy.mjs`);
  }
  return d;
}

// Deterministic PRNG (mulberry32, public domain) seeded from a string.
export function makeRng(seed) {
  let h = 2166136261 >>> 0; // FNV-1a of the seed text
  for (const ch of String(seed)) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  let a = h;
  const next32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const int = (n) => next32() % n; // [0, n)
  return {
    next32,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next32() / 4294967296 < p,
    pick: (arr) => arr[int(arr.length)],
    bigBelow: (n) => (BigInt(next32()) * 2n ** 32n + BigInt(next32())) % BigInt(n), // [0, n), n < 2^64 well spread
  };
}

// ---- transactions from anvil's unlocked dev accounts ----

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends eth_sendTransaction (anvil signs for its dev accounts; automine mines
// it in its own block, asynchronously) and returns the hash. `what` names the
// action in error messages (a revert is reported with anvil's reason).
export async function sendTx(rpc, tx, what) {
  try {
    return await rpc.call('eth_sendTransaction', [tx]);
  } catch (err) {
    throw new DevnetError(`${what}: ${err.message}`);
  }
}

// Waits for the receipt of `hash` (anvil mines asynchronously) and checks success.
export async function waitReceipt(rpc, hash, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 8)) {
    const receipt = await rpc.call('eth_getTransactionReceipt', [hash]);
    if (receipt) {
      if (receipt.status !== '0x1') throw new DevnetError(`${what}: transaction ${hash} reverted`);
      return receipt;
    }
    if (Date.now() > deadline) throw new DevnetError(`${what}: no receipt for ${hash} after ${timeoutMs} ms`);
    await sleep(delay);
  }
}

export async function transact(rpc, tx, what) {
  return waitReceipt(rpc, await sendTx(rpc, tx, what), what);
}

// Block timestamps advance by this many seconds per block (BSC's 3 s), so a
// seeded run makes the same chain whatever the wall clock does.
export const kBlockInterval = 3;
