#!/usr/bin/env node
// Cross-check of `chainsyncd util …` against vectors whose expected outputs were computed by
// independent libraries (tests/data/crosscheck_vectors.json, made by
// contrib/scripts/gen-crosscheck-vectors.mjs). Uses node builtins only: no node_modules needed.
//
// Usage: node crosscheck.mjs <path to chainsyncd> <vectors.json>
//
// Valid case:     `chainsyncd <args> --json` exits 0 and prints exactly one line, a JSON object
//                 equal (every field, exact types) to `expect`; the plain form (without --json)
//                 prints the one line the contract derives from the same fields.
// Malformed case: with and without --json, exits 2, prints nothing on stdout, something on stderr.
// Every run: stderr never carries a sanitizer report.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const kConcurrency = 2;          // the machine has 2 cores; ASan processes are heavy
const kTimeoutMs = 60_000;
const kMinValid = 300;
const kMinMalformed = 25;
const kSanitizerMarkers = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:',
  'WARNING: AddressSanitizer', 'SUMMARY: UndefinedBehaviorSanitizer'];

function run(binary, args) {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, kTimeoutMs);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: null, signal: null, stdout: '', stderr: String(e), timedOut }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

function sanitizerReport(stderr) {
  return kSanitizerMarkers.some((m) => stderr.includes(m));
}

function clip(s, n = 2000) {
  s = typeof s === 'string' ? s : JSON.stringify(s);
  return s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s;
}

function describeRun(r) {
  const status = r.timedOut ? 'timed out' : r.signal ? `signal ${r.signal}` : `exit ${r.code}`;
  return `${status}; stdout: ${clip(JSON.stringify(r.stdout))}; stderr: ${clip(JSON.stringify(r.stderr))}`;
}

// The single stdout line, or an error message.
function oneLine(r) {
  if (!r.stdout.endsWith('\n')) return { error: 'stdout does not end with a newline' };
  const line = r.stdout.slice(0, -1);
  if (line.includes('\n')) return { error: 'stdout has more than one line' };
  return { line };
}

// First path at which two JSON values differ, or null.
function firstDifference(expected, actual, path = '$') {
  if (isDeepStrictEqual(expected, actual)) return null;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${path}: length ${actual.length}, expected ${expected.length}`;
    for (let i = 0; i < expected.length; ++i) {
      const d = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(expected) && isObj(actual)) {
    for (const k of Object.keys(expected)) {
      if (!(k in actual)) return `${path}.${k}: missing`;
    }
    for (const k of Object.keys(actual)) {
      if (!(k in expected)) return `${path}.${k}: unexpected field`;
    }
    for (const k of Object.keys(expected)) {
      const d = firstDifference(expected[k], actual[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return `${path}: ${clip(JSON.stringify(actual), 300)}, expected ${clip(JSON.stringify(expected), 300)}`;
}

// End index (exclusive) of the JSON value starting at s[i], or -1.
function jsonValueEnd(s, i) {
  let depth = 0;
  let inString = false;
  for (let j = i; j < s.length; ++j) {
    const c = s[j];
    if (inString) {
      if (c === '\\') ++j;
      else if (c === '"') { inString = false; if (depth === 0) return j + 1; }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') ++depth;
    else if (c === ']' || c === '}') { if (--depth === 0) return j + 1; if (depth < 0) return -1; }
    else if (depth === 0 && c === ' ') return j;
  }
  return depth === 0 && !inString ? s.length : -1;
}

// Checks the plain (non --json) line against the contract form derived from `expect`.
// Returns null when it matches, else a reason.
function plainMismatch(sub, expect, line) {
  const exact = (want) => (line === want ? null : `plain line ${clip(JSON.stringify(line), 500)}, expected ${JSON.stringify(want)}`);
  switch (sub) {
    case 'keccak': return exact(expect.keccak256);
    case 'topic': return exact(expect.topic0);
    case 'tron-address': return exact(`${expect.base58} ${expect.hex}`);
    case 'stake-pda': return exact(`${expect.address} ${expect.bump}`);
    case 'recover': return exact(expect.address);
    case 'decode-log': {
      // `<EventName> name=<V> …`, V compact JSON: parsed value by value, so any valid JSON
      // escaping of strings is accepted.
      if (!line.startsWith(expect.event)) return `plain line does not start with ${expect.event}: ${clip(line, 500)}`;
      let pos = expect.event.length;
      for (const p of expect.params) {
        const head = ` ${p.name}=`;
        if (!line.startsWith(head, pos)) return `plain line: expected '${head}' at column ${pos}: ${clip(line, 500)}`;
        pos += head.length;
        const end = jsonValueEnd(line, pos);
        if (end < 0) return `plain line: no JSON value for ${p.name} at column ${pos}: ${clip(line, 500)}`;
        let value;
        try { value = JSON.parse(line.slice(pos, end)); } catch (e) {
          return `plain line: ${p.name}=${clip(line.slice(pos, end), 300)} is not JSON (${e.message})`;
        }
        const d = firstDifference(p.value, value, p.name);
        if (d) return `plain line: ${d}`;
        pos = end;
      }
      return pos === line.length ? null : `plain line: trailing text at column ${pos}: ${clip(line.slice(pos), 300)}`;
    }
    default: return `unknown subcommand ${sub} in vectors`;
  }
}

// --json goes at the end, and for every fourth case right after `util <sub>` (the contract
// allows it anywhere after the subcommand).
function withJson(args, index) {
  if (index % 4 === 3) return [...args.slice(0, 2), '--json', ...args.slice(2)];
  return [...args, '--json'];
}

async function checkValid(binary, c, index) {
  const problems = [];
  const jsonArgs = withJson(c.args, index);
  const rj = await run(binary, jsonArgs);
  if (sanitizerReport(rj.stderr)) problems.push(`--json: sanitizer report: ${describeRun(rj)}`);
  if (rj.code !== 0) {
    problems.push(`--json: ${describeRun(rj)}`);
  } else {
    const l = oneLine(rj);
    if (l.error) problems.push(`--json: ${l.error}: ${describeRun(rj)}`);
    else {
      let actual;
      try { actual = JSON.parse(l.line); } catch (e) { problems.push(`--json: not JSON (${e.message}): ${clip(l.line)}`); }
      if (actual !== undefined) {
        const d = firstDifference(c.expect, actual);
        if (d) problems.push(`--json: ${d}\n    expected: ${clip(JSON.stringify(c.expect))}\n    actual:   ${clip(l.line)}`);
      }
    }
  }
  const rp = await run(binary, c.args);
  if (sanitizerReport(rp.stderr)) problems.push(`plain: sanitizer report: ${describeRun(rp)}`);
  if (rp.code !== 0) {
    problems.push(`plain: ${describeRun(rp)}`);
  } else {
    const l = oneLine(rp);
    if (l.error) problems.push(`plain: ${l.error}: ${describeRun(rp)}`);
    else {
      const m = plainMismatch(c.args[1], c.expect, l.line);
      if (m) problems.push(m);
    }
  }
  return { args: jsonArgs, problems };
}

async function checkMalformed(binary, c) {
  const problems = [];
  for (const args of [c.args, [...c.args, '--json']]) {
    const r = await run(binary, args);
    const mode = args.length > c.args.length ? '--json' : 'plain';
    if (sanitizerReport(r.stderr)) problems.push(`${mode}: sanitizer report: ${describeRun(r)}`);
    if (r.code !== c.exit) problems.push(`${mode}: expected exit ${c.exit}; ${describeRun(r)}`);
    else if (r.stdout !== '') problems.push(`${mode}: stdout not empty: ${clip(JSON.stringify(r.stdout))}`);
    else if (r.stderr.trim() === '') problems.push(`${mode}: no message on stderr`);
  }
  return { args: c.args, problems };
}

async function pool(items, worker) {
  const results = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(kConcurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await worker(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}

async function main() {
  const [binary, vectorsPath] = process.argv.slice(2);
  if (!binary || !vectorsPath) {
    process.stderr.write('usage: node crosscheck.mjs <path to chainsyncd> <vectors.json>\n');
    process.exit(2);
  }
  const vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'));
  const valid = (vectors.valid ?? []).filter((c) => Array.isArray(c.args) && c.expect);
  const malformed = (vectors.malformed ?? []).filter((c) => Array.isArray(c.args) && Number.isInteger(c.exit));

  const validResults = await pool(valid, (c, i) => checkValid(binary, c, i));
  const malformedResults = await pool(malformed, (c) => checkMalformed(binary, c));

  const perSub = new Map();
  const tally = (sub, ok) => {
    const t = perSub.get(sub) ?? { passed: 0, failed: 0 };
    t[ok ? 'passed' : 'failed'] += 1;
    perSub.set(sub, t);
  };
  let passed = 0;
  let failed = 0;
  const report = (kind, c, r) => {
    const ok = r.problems.length === 0;
    tally(`${kind} ${c.args[1] ?? '(none)'}`, ok);
    if (ok) { ++passed; return; }
    ++failed;
    const why = c.why ? ` (${c.why})` : '';
    process.stdout.write(`FAIL ${kind}${why}\n  args: ${clip(JSON.stringify(r.args))}\n`);
    for (const p of r.problems) process.stdout.write(`  ${p}\n`);
  };
  valid.forEach((c, i) => report('valid', c, validResults[i]));
  malformed.forEach((c, i) => report('malformed', c, malformedResults[i]));

  for (const [sub, t] of [...perSub].sort(([a], [b]) => a.localeCompare(b))) {
    process.stdout.write(`  [${sub}] ok=${t.passed} failing=${t.failed}\n`);
  }
  let tooFew = false;
  if (valid.length < kMinValid) {
    process.stdout.write(`too few valid cases: ${valid.length} < ${kMinValid}\n`);
    tooFew = true;
  }
  if (malformed.length < kMinMalformed) {
    process.stdout.write(`too few malformed cases: ${malformed.length} < ${kMinMalformed}\n`);
    tooFew = true;
  }
  process.stdout.write(`crosscheck: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 || tooFew ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`crosscheck: ${e.stack ?? e}\n`);
  process.exit(1);
});
