#!/usr/bin/env node
// Self-test of contrib/devnet: runs every script the way the end-to-end tests
// do, against anvils of its own on free ports, and checks the oracle against
// the chain itself (ERC-20 balanceOf, contract holdings, totalSupply), which
// the oracle never reads. Also checks determinism (two fresh chains, one
// seed: the same head hash), the reorg modes, bulk logs and the error exits.
//
// Usage: node tests/devnet/selftest.mjs [--quick]   (--quick: bulk 5 000 instead of 50 000)
// Exit 0 and a JSON report of timings on stdout when every check passed.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexQty, loadBuild, require, Rpc } from '../../contrib/devnet/lib.mjs';
import { fetchLogs } from '../../contrib/devnet/oracle.mjs';

const { ethers } = require('ethers');
const devnet = fileURLToPath(new URL('../../contrib/devnet/', import.meta.url));
const anvilBin = fileURLToPath(
  new URL('../../contrib/node/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil', import.meta.url));
const quick = process.argv.includes('--quick');
const kGenesis = 1_767_225_600; // 2026-01-01T00:00:00Z: a fixed genesis makes whole chains reproducible
const kEventNames = ['Transfer', 'TSTLocked', 'TSTReleased', 'LockTerminatedEarly', 'TierStaked', 'TierUnstaked',
  'ComputeReserved', 'QuotaConsumed', 'ReservationReleased'];

const work = mkdtempSync(join(tmpdir(), 'devnet-selftest-'));
const anvils = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startAnvil() {
  const port = await freePort();
  const child = spawn(anvilBin, ['--chain-id', '56', '--host', '127.0.0.1', '--port', String(port), '--silent',
    '--timestamp', String(kGenesis)], { stdio: 'ignore' });
  anvils.push(child);
  const rpc = new Rpc(`http://127.0.0.1:${port}`, { timeoutMs: 5000 });
  for (let i = 0; ; i++) {
    try {
      if ((await rpc.chainId()) === 56) return { url: rpc.url, rpc, child };
    } catch (err) {
      if (i > 600) throw err; // 60 s on a loaded machine
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Runs a devnet script; returns {status, stdout, stderr, ms}.
function run(script, args) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [join(devnet, script), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function runOk(script, args) {
  const r = run(script, args);
  assert.equal(r.status, 0, `${script} ${args.join(' ')} failed: ${r.stderr}`);
  return { ...r, json: r.stdout.startsWith('{') ? JSON.parse(r.stdout) : null };
}

// The oracle against what the chain itself says.
async function checkOracle(rpc, deployment, oracle) {
  const tst = new ethers.Interface(loadBuild().contracts.TST.abi);
  const at = hexQty(oracle.block);
  const block = await rpc.block(oracle.block);
  assert.equal(oracle.block_hash, block.hash, 'oracle block_hash');
  const addrs = Object.keys(oracle.addresses).filter((a) => a !== ethers.ZeroAddress);
  const call = (data) => ['eth_call', [{ to: deployment.contracts.tst, data }, at]];
  const balances = await rpc.batch(addrs.map((a) => call(tst.encodeFunctionData('balanceOf', [a]))));
  let sum = 0n;
  addrs.forEach((a, i) => {
    assert.equal(oracle.addresses[a].tst_balance, String(BigInt(balances[i])), `tst_balance of ${a}`);
    sum += BigInt(balances[i]);
  });
  const [supply] = await rpc.batch([call(tst.encodeFunctionData('totalSupply', []))]);
  assert.equal(sum, BigInt(supply), 'Σ balances = totalSupply');

  let staked = 0n;
  let locked = 0n;
  for (const [addr, v] of Object.entries(oracle.addresses)) {
    staked += BigInt(v.tst_staked);
    locked += BigInt(v.tst_locked);
    const total = BigInt(v.tst_balance) + BigInt(v.tst_staked) + BigInt(v.tst_locked);
    assert.equal(BigInt(v.tst_total), total, `tst_total of ${addr}`);
    assert.equal(v.tst_available, v.tst_balance);
    assert.equal(v.locks.reduce((s, l) => s + BigInt(l.amount), 0n), BigInt(v.tst_locked));
    for (const q of Object.values(v.entity_quotas)) {
      if (q) assert.equal(q.available, Math.max(0, q.total - q.used_today), 'quota available');
    }
  }
  const held = (role) => oracle.addresses[deployment.contracts[role]]?.tst_balance ?? '0';
  assert.equal(String(staked), held('staking'), 'Σ staked = staking contract balance');
  // The escrow holds the open locks plus the penalties of early terminations.
  const escrowIface = new ethers.Interface(loadBuild().contracts.P2PAgreementEscrow.abi);
  let penalties = 0n;
  for (const log of await fetchLogs(rpc, deployment, deployment.deploy_block, oracle.block)) {
    if (log.address.toLowerCase() !== deployment.contracts.escrow) continue;
    const ev = escrowIface.parseLog(log);
    if (ev?.name === 'LockTerminatedEarly') penalties += ev.args.penalty;
  }
  assert.equal(String(locked + penalties), held('escrow'), 'open locks + penalties = escrow balance');
}

function oracleAt(url, depFile, now, extra = []) {
  const r = runOk('oracle.mjs', ['--rpc', url, '--deployment', depFile, '--now', String(now), ...extra]);
  return { ...r, json: JSON.parse(r.stdout) };
}

async function main() {
  const report = {};
  runOk('build.mjs', []);

  // Determinism: the same seed on two fresh chains gives the same head.
  const a = await startAnvil();
  const b = await startAnvil();
  const depA = join(work, 'a.json');
  const depB = join(work, 'b.json');
  const deployA = runOk('deploy.mjs', ['--rpc', a.url, '--out', depA]);
  runOk('deploy.mjs', ['--rpc', b.url, '--out', depB]);
  report.deploy_ms = deployA.ms;
  const driveA = runOk('drive.mjs', ['--rpc', a.url, '--deployment', depA, '--seed', '42', '--steps', '200']);
  const driveB = runOk('drive.mjs', ['--rpc', b.url, '--deployment', depB, '--seed', '42', '--steps', '200']);
  report.drive_200_ms = driveA.ms;
  assert.deepEqual(driveA.json, driveB.json, 'same seed, same chain');
  for (const name of kEventNames) assert.ok(driveA.json.events[name] > 0, `event ${name} occurred`);
  const other = runOk('drive.mjs', ['--rpc', b.url, '--deployment', depB, '--seed', '43', '--steps', '40']);
  for (const name of kEventNames) assert.ok(other.json.events[name] > 0, `event ${name} occurred with 40 steps`);

  const deployment = deployA.json;
  const now = driveA.json.last_block_time;
  const o1 = oracleAt(a.url, depA, now);
  report.oracle_small_ms = o1.ms;
  assert.equal(o1.json.block, driveA.json.last_block);
  assert.equal(oracleAt(a.url, depA, now).stdout, o1.stdout, 'oracle output is reproducible');
  await checkOracle(a.rpc, deployment, o1.json);
  const some = Object.values(o1.json.addresses);
  assert.ok(some.some((v) => v.current_tier === 3), 'a tier-3 user');
  assert.ok(some.some((v) => v.stakes.some((s) => s.status === 'expired')), 'an expired open stake');
  assert.ok(some.some((v) => v.locks.some((l) => l.tier === 0)), 'a tier-0 lock');
  assert.ok(some.some((v) => Object.values(v.entity_quotas).some((q) => q && q.used_today > 0)), 'quota used today');
  assert.ok(some.some((v) => (v.ledger_kinds.transfer_in ?? 0) > 0 && v.ledger_kinds.transfer_out > 0));

  // The boundary lock flips from active to unlockable exactly at locked_until.
  const bl = driveA.json.boundary_lock;
  const boundaryAt = (t) => oracleAt(a.url, depA, t).json.addresses[bl.user].locks.find((l) => l.lock_id === bl.lock_id);
  const before = boundaryAt(bl.locked_until - 1);
  const at = boundaryAt(bl.locked_until);
  assert.deepEqual([before.status, before.days_remaining, at.status, at.days_remaining], ['active', 1, 'unlockable', 0]);
  // --to-block: an older view.
  const old = oracleAt(a.url, depA, now, ['--to-block', String(driveA.json.first_block)]);
  await checkOracle(a.rpc, deployment, old.json);

  // Reorgs: each mode and depth, then the oracle must still agree with the chain.
  report.reorg_ms = {};
  for (const depth of [1, 3, 10]) {
    for (const mode of ['replace', 'drop']) {
      const r = runOk('reorg.mjs',
        ['--rpc', a.url, '--deployment', depA, '--depth', String(depth), '--mode', mode, '--seed', '5']);
      report.reorg_ms[`${depth}_${mode}`] = r.ms;
      assert.equal(r.json.depth, depth);
      assert.equal(r.json.new_head.number, r.json.old_head.number);
      assert.notEqual(r.json.new_head.hash, r.json.old_head.hash);
      if (mode === 'drop') assert.equal(r.json.transactions, 0);
      else assert.ok(r.json.transactions >= depth);
      const o = oracleAt(a.url, depA, now);
      assert.equal(o.json.block_hash, r.json.new_head.hash);
      await checkOracle(a.rpc, deployment, o.json);
      // Drive on after the reorg: the driver rebuilds its model from the new branch.
      runOk('drive.mjs', ['--rpc', a.url, '--deployment', depA, '--seed', `after-${depth}-${mode}`, '--steps', '40']);
    }
  }

  // Bulk logs.
  const k = quick ? 5_000 : 50_000;
  const bulk = runOk('drive.mjs', ['--rpc', a.url, '--deployment', depA, '--seed', '7', '--bulk-logs', String(k)]);
  report[`bulk_${k}_ms`] = bulk.ms;
  assert.equal(bulk.json.events.Transfer, k);
  assert.ok(bulk.json.last_block - bulk.json.first_block + 1 >= k / 500, 'bulk spread over blocks');
  const ob = oracleAt(a.url, depA, now);
  report.oracle_after_bulk_ms = ob.ms;
  await checkOracle(a.rpc, deployment, ob.json);

  // Errors: usage → 2, node down → 1, each with a one-line message.
  const bad = run('drive.mjs', ['--steps', '5', '--bogus']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown flag '--bogus'/);
  const down = run('oracle.mjs', ['--rpc', `http://127.0.0.1:${await freePort()}`, '--deployment', depA, '--now', '0']);
  assert.equal(down.status, 1);
  assert.match(down.stderr, /unreachable/);
  const wrongNode = run('drive.mjs', ['--rpc', b.url, '--deployment', join(work, 'nonexistent.json'), '--steps', '40']);
  assert.equal(wrongNode.status, 2);

  process.stdout.write(JSON.stringify(report) + '\n');
}

main().then(
  () => 0,
  (err) => {
    process.stderr.write(`selftest: FAILED: ${err.stack || err}\n`);
    return 1;
  },
).then((code) => {
  for (const child of anvils) child.kill();
  rmSync(work, { recursive: true, force: true });
  process.exitCode = code;
});
