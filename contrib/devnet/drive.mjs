#!/usr/bin/env node
// Drives realistic, seeded activity on the devnet contracts from the users of
// a deployment: mints, transfers (one to self), locks (released after their
// time, one exactly at lockedUntil; terminated early; left open), stakes of
// each tier (two of one tier by one user; unstake after expiry; emergency
// unstake), reservations of every entity type, quota use and releases.
// Every SPEC 3.1 event kind occurs for any --steps >= 40. The same seed on
// the same chain gives the same transactions (block times advance 3 s a
// block; jumps use evm_setNextBlockTimestamp, never the wall clock).
//
// --bulk-logs K adds K Transfer logs with batchTransfer (500 per transaction,
// one transaction per block) from the owner to a pool of seeded addresses.
//
// Usage: node contrib/devnet/drive.mjs --rpc URL --deployment FILE [--seed S] [--steps N]
//          [--bulk-logs K] [--bulk-recipients R]
// Prints one line of JSON: {"seed":..,"steps":..,"transactions":..,"events":{kind:n},"bulk_logs":K,
//   "first_block":..,"last_block":..,"last_block_hash":..,"last_block_time":..,"boundary_lock":{..}|null}

import { pathToFileURL } from 'node:url';
import {
  DevnetError, expectDevnet, hexQty, kBlockInterval, kTst, loadBuild, loadDeployment, makeRng, parseArgs,
  require, Rpc, runMain, sendTx, transact, usageError, waitReceipt,
} from './lib.mjs';
import { derive, fetchBlocks, fetchLogs } from './oracle.mjs';

const { ethers } = require('ethers');
const kUsage = 'usage: node contrib/devnet/drive.mjs --rpc URL --deployment FILE [--seed S] [--steps N] '
  + '[--bulk-logs K] [--bulk-recipients R]   (at least one of --steps, --bulk-logs)';

const kHour = 3600;
const kDay = 86_400;
const kMargin = 120; // seconds kept clear of a time boundary the drive does not aim at on purpose
const kFixedSteps = 40; // prologue + epilogue transactions, roughly; --steps beyond this are random
const kBulkPerTx = 500;
const kBulkGas = 16_000_000; // 500 transfers to fresh addresses use 12.8 M gas
const kEventNames = ['Transfer', 'TSTLocked', 'TSTReleased', 'LockTerminatedEarly', 'TierStaked', 'TierUnstaked',
  'ComputeReserved', 'QuotaConsumed', 'ReservationReleased'];
const kStakeWei = [0n, 5n * kTst, 25n * kTst, 100n * kTst];

// A reproducible address that no key is known for (a fresh recipient).
const seededAddress = (text) => ethers.dataSlice(ethers.id(text), 12).toLowerCase();

class Driver {
  constructor(rpc, deployment, build, rng, seed) {
    this.rpc = rpc;
    this.d = deployment;
    this.rng = rng;
    this.seed = seed;
    this.owner = deployment.owner || deployment.users[0];
    this.users = deployment.users;
    this.iface = {
      tst: new ethers.Interface(build.contracts.TST.abi),
      escrow: new ethers.Interface(build.contracts.P2PAgreementEscrow.abi),
      staking: new ethers.Interface(build.contracts.AccessTierStaking.abi),
      compute_reserve: new ethers.Interface(build.contracts.EntityComputeReserve.abi),
    };
    this.events = Object.fromEntries(kEventNames.map((n) => [n, 0]));
    this.txCount = 0;
    this.agreements = 0;
    this.extras = Array.from({ length: 5 }, (_, i) => seededAddress(`devnet-extra-${seed}-${i}`));
  }

  // ---- the model, rebuilt from the chain so a drive can follow a reorg or another drive ----

  async load() {
    const head = await this.rpc.blockNumber();
    const logs = await fetchLogs(this.rpc, this.d, this.d.deploy_block || 0, head,
      { roles: ['escrow', 'staking', 'compute_reserve'] }); // balances come from balanceOf
    const numbers = [...new Set(logs.map((l) => Number(BigInt(l.blockNumber))))];
    const state = derive(this.d, logs, await fetchBlocks(this.rpc, numbers));
    const mine = (m) => [...m.entries()].filter(([, x]) => x.open).map(([id, x]) => ({ id, ...x }));
    this.locks = mine(state.locks);
    this.stakes = mine(state.stakes);
    this.reservations = mine(state.reservations);
    this.used = new Map(); // `${id}/${utc day}` -> units
    for (const u of state.quotaUses) this.addUse(u.id, Number(u.time), Number(u.units));
    const balances = await this.rpc.batch(this.users.map((u) => ['eth_call', [{
      to: this.d.contracts.tst, data: this.iface.tst.encodeFunctionData('balanceOf', [u]),
    }, 'latest']]));
    this.balance = new Map(this.users.map((u, i) => [u, BigInt(balances[i])]));
    const latest = await this.rpc.block('latest');
    this.headTime = Number(BigInt(latest.timestamp));
    this.firstBlock = Number(BigInt(latest.number)) + 1;
  }

  addUse(id, time, units) {
    const key = `${id}/${Math.floor(time / kDay)}`;
    this.used.set(key, (this.used.get(key) || 0) + units);
  }

  usedOn(id, time) {
    return this.used.get(`${id}/${Math.floor(time / kDay)}`) || 0;
  }

  // The timestamp the next block will carry (anvil's timestamp interval).
  get nextTime() {
    return this.headTime + kBlockInterval;
  }

  // ---- transactions ----

  async call(from, role, fn, args, what) {
    const data = this.iface[role].encodeFunctionData(fn, args);
    const receipt = await transact(this.rpc, { from, to: this.d.contracts[role], data }, what || `${fn} from ${from}`);
    this.txCount++;
    const block = await this.rpc.block(Number(BigInt(receipt.blockNumber)));
    this.headTime = Number(BigInt(block.timestamp));
    this.lastBlock = block;
    const parsed = [];
    for (const log of receipt.logs) {
      const role2 = Object.keys(this.iface).find((r) => this.d.contracts[r] === log.address.toLowerCase());
      if (!role2) continue;
      const ev = this.iface[role2].parseLog(log);
      if (ev && this.events[ev.name] !== undefined) this.events[ev.name]++;
      if (ev) parsed.push(ev);
    }
    return { parsed, time: this.headTime };
  }

  // Sets the next block's timestamp to `t` (≥ head + 1); mines an empty block unless `noMine`.
  async jumpTo(t, { noMine = false } = {}) {
    if (t <= this.headTime) throw new DevnetError(`internal: jump to ${t} not after head time ${this.headTime}`);
    await this.rpc.call('evm_setNextBlockTimestamp', [t]);
    if (noMine) return;
    await this.rpc.call('evm_mine', []);
    const latest = await this.rpc.block('latest');
    this.headTime = Number(BigInt(latest.timestamp));
    this.lastBlock = latest;
    // The interval applies from the jumped-to time on.
    await this.rpc.call('anvil_setBlockTimestampInterval', [kBlockInterval]);
  }

  async ensureFunds(user, need) {
    if (this.balance.get(user) >= need + 10n * kTst) return;
    await this.mint(user, need + 5_000n * kTst);
  }

  async mint(to, amount) {
    await this.call(this.owner, 'tst', 'mint', [to, amount]);
    this.balance.set(to, (this.balance.get(to) || 0n) + amount);
  }

  async transfer(from, to, amount) {
    await this.ensureFunds(from, amount);
    await this.call(from, 'tst', 'transfer', [to, amount]);
    this.balance.set(from, this.balance.get(from) - amount);
    if (this.balance.has(to)) this.balance.set(to, this.balance.get(to) + amount);
  }

  async lock(user, amount, lockedUntil, agreementId) {
    await this.ensureFunds(user, amount);
    const id = agreementId || `agr-${this.seed}-${++this.agreements}`;
    const { parsed } = await this.call(user, 'escrow', 'lock', [amount, lockedUntil, id]);
    const ev = parsed.find((e) => e.name === 'TSTLocked');
    this.balance.set(user, this.balance.get(user) - amount);
    const lock = { id: ev.args.lockId.toLowerCase(), user, amount, lockedUntil: BigInt(lockedUntil) };
    this.locks.push(lock);
    return lock;
  }

  async closeLock(lock, early) {
    await this.call(lock.user, 'escrow', early ? 'terminateEarly' : 'release', [lock.id]);
    const back = early ? lock.amount - (lock.amount * 1000n) / 10_000n : lock.amount;
    this.balance.set(lock.user, this.balance.get(lock.user) + back);
    this.locks = this.locks.filter((l) => l !== lock);
  }

  async stake(user, tier) {
    await this.ensureFunds(user, kStakeWei[tier]);
    const { parsed } = await this.call(user, 'staking', 'stake', [tier]);
    const ev = parsed.find((e) => e.name === 'TierStaked');
    this.balance.set(user, this.balance.get(user) - kStakeWei[tier]);
    const stake = { id: ev.args.stakeId.toLowerCase(), user, tier, amount: kStakeWei[tier], expiresAt: ev.args.expiresAt };
    this.stakes.push(stake);
    return stake;
  }

  async unstake(stake, emergency) {
    await this.call(stake.user, 'staking', emergency ? 'emergencyUnstake' : 'unstake', [stake.id]);
    this.balance.set(stake.user, this.balance.get(stake.user) + stake.amount);
    this.stakes = this.stakes.filter((s) => s !== stake);
  }

  async reserve(user, entityType, amount, quotaPerDay, duration) {
    await this.ensureFunds(user, amount);
    const { parsed } = await this.call(user, 'compute_reserve', 'reserve', [entityType, amount, quotaPerDay, duration]);
    const ev = parsed.find((e) => e.name === 'ComputeReserved');
    this.balance.set(user, this.balance.get(user) - amount);
    const r = {
      id: ev.args.reservationId.toLowerCase(), user, entityType, amount,
      quotaPerDay: BigInt(quotaPerDay), reservedUntil: ev.args.reservedUntil,
    };
    this.reservations.push(r);
    return r;
  }

  async consume(r, units) {
    const { time } = await this.call(r.user, 'compute_reserve', 'consume', [r.id, units]);
    this.addUse(r.id, time, units);
  }

  async releaseReservation(r) {
    await this.call(r.user, 'compute_reserve', 'releaseReservation', [r.id]);
    this.balance.set(r.user, this.balance.get(r.user) + r.amount);
    this.reservations = this.reservations.filter((x) => x !== r);
  }

  // Units a consume in the next block may use, or 0 when the next block's UTC
  // day or the reservation's end is too close to tell.
  consumable(r) {
    const t = this.nextTime;
    if (BigInt(t + kMargin) >= r.reservedUntil) return 0;
    const dayPos = t % kDay;
    if (dayPos < kMargin || dayPos > kDay - kMargin) return 0;
    return Math.max(0, Number(r.quotaPerDay) - this.usedOn(r.id, t));
  }

  // ---- the scenario ----

  async prologue() {
    const [, u1, u2, u3, u4, u5, u6] = this.users;
    const t0 = this.nextTime;
    await this.transfer(u1, u2, 100n * kTst);
    await this.transfer(u3, u3, 7n * kTst); // to self: two ledger entries, balance unchanged
    await this.transfer(u2, this.extras[0], 1_500_000_000_000_000_000n); // to a fresh address
    await this.mint(u4, 1_000n * kTst);
    const lockA = await this.lock(u1, 250n * kTst, t0 + kHour, 'P2P-agreement-Ω-1'); // exactly tier 3; non-ASCII id
    const lockB = await this.lock(u2, 50n * kTst, t0 + 2 * kDay); // exactly tier 2
    const lockC = await this.lock(u3, 10n * kTst, t0 + 7 * kDay); // exactly tier 1
    // Pinned objects stay open whatever the random phase does.
    (await this.lock(u4, 10n * kTst - 1n, t0 + 40 * kDay)).pinned = true; // one wei below tier 1: tier 0
    (await this.lock(u5, 100n * kTst, t0 + 90 * kDay)).pinned = true;
    await this.closeLock(lockB, true);
    const s1 = await this.stake(u1, 1);
    // A second tier-1 stake by the same user; left open past its expiry (an expired stake).
    (await this.stake(u1, 1)).pinned = true;
    await this.stake(u2, 2);
    await this.stake(u3, 3);
    const s5 = await this.stake(u4, 2);
    await this.unstake(s5, true); // emergency, before expiry
    const r1 = await this.reserve(u1, 1, 10n * kTst, 3, 90 * kDay);
    const r2 = await this.reserve(u2, 2, 20n * kTst, 12, 90 * kDay);
    const r3 = await this.reserve(u3, 3, 5n * kTst, 7, 90 * kDay);
    const r4 = await this.reserve(u6, 1, 8n * kTst, 10, kDay);
    for (const [r, units] of [[r1, 2], [r2, 5], [r3, 7], [r4, 1]]) {
      if (this.consumable(r) >= units) await this.consume(r, units);
    }
    await this.releaseReservation(r4);
    // Release in the block whose timestamp is exactly lockedUntil (the >= edge).
    await this.jumpTo(Number(lockA.lockedUntil), { noMine: true });
    const { time } = await this.call(u1, 'escrow', 'release', [lockA.id], 'boundary release');
    if (BigInt(time) !== lockA.lockedUntil) {
      throw new DevnetError(`boundary release mined at ${time}, not ${lockA.lockedUntil}`);
    }
    await this.rpc.call('anvil_setBlockTimestampInterval', [kBlockInterval]);
    this.balance.set(u1, this.balance.get(u1) + lockA.amount);
    this.locks = this.locks.filter((l) => l !== lockA);
    // Past every 30-day stake of the prologue and lockC.
    await this.jumpTo(this.headTime + 31 * kDay);
    await this.unstake(s1, false);
    await this.closeLock(lockC, false);
    for (const r of [r1, r2, r3]) {
      const n = Math.min(this.consumable(r), 1);
      if (n > 0) await this.consume(r, n);
    }
    await this.stake(u3, 3);
    await this.stake(u5, 2);
  }

  async randomStep() {
    const rng = this.rng;
    const user = rng.pick(this.users.slice(1));
    const t = this.nextTime;
    const lo = BigInt(t - kMargin); // "clearly past" a time boundary
    const hi = BigInt(t + kMargin); // "clearly before" it
    const locks = this.locks.filter((l) => !l.pinned);
    const stakes = this.stakes.filter((s) => !s.pinned);
    const someone = () => (rng.chance(0.15) ? rng.pick(this.extras) : rng.pick(this.users));
    const quota = () => rng.pick([3, 7, 10, 12, 28, 1000]);
    const choices = [ // [weight, action]; an action returning false had nothing to act on
      [25, () => this.transfer(user, someone(), this.amount(200))],
      [3, () => this.transfer(user, user, this.amount(50))],
      [12, () => this.lock(user, this.lockAmount(), t + rng.range(kHour, 10 * kDay))],
      [6, () => this.pickThen(locks.filter((l) => l.lockedUntil <= lo), (l) => this.closeLock(l, false))],
      [6, () => this.pickThen(locks.filter((l) => l.lockedUntil > hi), (l) => this.closeLock(l, true))],
      [8, () => this.stake(user, rng.range(1, 3))],
      [4, () => this.pickThen(stakes.filter((s) => s.expiresAt <= lo), (s) => this.unstake(s, false))],
      [4, () => this.pickThen(stakes.filter((s) => s.expiresAt > hi), (s) => this.unstake(s, true))],
      [6, () => this.reserve(user, rng.range(1, 3), this.amount(60), quota(), rng.range(kDay, 60 * kDay))],
      [14, () => this.pickThen(this.reservations.filter((r) => this.consumable(r) > 0),
        (r) => this.consume(r, rng.range(1, Math.min(this.consumable(r), 5))))],
      [4, () => this.pickThen(this.reservations, (r) => this.releaseReservation(r))],
      [3, () => this.mint(user, this.amount(1000))],
      [5, () => this.jumpTo(this.headTime + rng.range(kHour, 2 * kDay))],
    ];
    let roll = rng.int(choices.reduce((s, [w]) => s + w, 0));
    for (const [w, act] of choices) {
      if (roll < w) {
        if (await act()) return;
        break;
      }
      roll -= w;
    }
    // Nothing eligible for the chosen kind: a plain transfer instead.
    await this.transfer(user, rng.pick(this.users), this.amount(20));
  }

  // Runs fn on a random element; false when there is none (the caller falls back).
  async pickThen(list, fn) {
    if (list.length === 0) return false;
    await fn(this.rng.pick(list));
    return true;
  }

  // A random amount in (0, maxTst] TST with random wei digits.
  amount(maxTst) {
    return BigInt(this.rng.range(1, maxTst)) * kTst - this.rng.bigBelow(kTst);
  }

  // Lock amounts around the SPEC 3.1 tier edges, and anything in between.
  lockAmount() {
    const edge = this.rng.pick([10n, 50n, 250n]) * kTst;
    switch (this.rng.int(4)) {
      case 0: return edge;
      case 1: return edge - 1n;
      case 2: return edge + 1n;
      default: return this.amount(400);
    }
  }

  async epilogue() {
    const [, , , , , , u6, u7, u8, u9] = this.users;
    // Keep the last blocks away from a UTC midnight, so quota use lands in the head's day.
    const dayPos = this.nextTime % kDay;
    if (dayPos > kDay - 2 * kHour || dayPos < kMargin) {
      await this.jumpTo(this.nextTime - dayPos + (dayPos < kMargin ? 0 : kDay) + 600); // 00:10 UTC
    }
    for (const type of [1, 2, 3]) {
      const lasting = BigInt(this.nextTime + kDay);
      let r = this.reservations.find((x) => x.entityType === type && x.reservedUntil > lasting && this.consumable(x) > 0);
      if (!r) r = await this.reserve(u7, type, 3n * kTst, [3, 12, 7][type - 1], 45 * kDay);
      if (this.consumable(r) > 0) await this.consume(r, 1);
    }
    if (!this.stakes.some((s) => s.tier === 1 && s.expiresAt > BigInt(this.nextTime + kDay))) await this.stake(u6, 1);
    await this.lock(u7, 50n * kTst, this.nextTime + kDay);
    // An open lock whose lockedUntil is 10 minutes after the head: tests set
    // --now on either side of it to see active flip to unlockable.
    this.boundaryLock = await this.lock(u8, 250n * kTst, this.nextTime + 600);
    await this.transfer(u9, u6, 3n * kTst);
  }

  async bulk(count, recipientCount) {
    const pool = Array.from({ length: recipientCount }, (_, i) => seededAddress(`devnet-bulk-${this.seed}-${i}`));
    let total = 0n;
    const txs = [];
    for (let done = 0; done < count; done += kBulkPerTx) {
      const n = Math.min(kBulkPerTx, count - done);
      const to = [];
      const amounts = [];
      for (let i = 0; i < n; i++) {
        to.push(pool[(done + i) % pool.length]);
        amounts.push(BigInt(this.rng.range(1, 1_000_000)));
      }
      total += amounts.reduce((s, a) => s + a, 0n);
      txs.push(this.iface.tst.encodeFunctionData('batchTransfer', [to, amounts]));
    }
    await this.ensureFunds(this.owner, total);
    // One at a time: anvil's miner may pack two queued transactions into one
    // block (it does not reserve their gas limits), which would make the block
    // layout depend on timing.
    for (const [i, data] of txs.entries()) {
      const what = `bulk batchTransfer ${i}`;
      const hash = await sendTx(this.rpc, { from: this.owner, to: this.d.contracts.tst, data, gas: hexQty(kBulkGas) }, what);
      await waitReceipt(this.rpc, hash, what, 300_000);
    }
    this.txCount += txs.length;
    this.events.Transfer += count;
    this.balance.set(this.owner, this.balance.get(this.owner) - total);
    this.lastBlock = await this.rpc.block('latest');
    this.headTime = Number(BigInt(this.lastBlock.timestamp));
  }
}

async function main() {
  const args = parseArgs('drive.mjs', process.argv.slice(2), {
    rpc: { type: 'string', required: true },
    deployment: { type: 'string', required: true },
    seed: { type: 'string', default: '1' },
    steps: { type: 'int', default: 0 },
    'bulk-logs': { type: 'int', default: 0 },
    'bulk-recipients': { type: 'int', default: 1000 },
  }, kUsage);
  if (args.steps === 0 && args['bulk-logs'] === 0) {
    throw usageError(`nothing to do: give --steps N (>= 40 for every event kind) or --bulk-logs K\n${kUsage}`);
  }
  if (args['bulk-recipients'] < 1) throw usageError('--bulk-recipients must be at least 1');
  const deployment = loadDeployment(args.deployment);
  const rpc = new Rpc(args.rpc);
  await expectDevnet(rpc);
  const code = await rpc.call('eth_getCode', [deployment.contracts.tst, 'latest']);
  if (code === '0x') {
    throw new DevnetError(`no contract at ${deployment.contracts.tst}: deployment file does not match this node`);
  }
  const started = Date.now();
  const driver = new Driver(rpc, deployment, loadBuild(), makeRng(args.seed), args.seed);
  await driver.load();
  await rpc.call('anvil_setBlockTimestampInterval', [kBlockInterval]);
  if (args.steps > 0) {
    await driver.prologue();
    for (let i = kFixedSteps; i < args.steps; i++) await driver.randomStep();
    await driver.epilogue();
  }
  if (args['bulk-logs'] > 0) await driver.bulk(args['bulk-logs'], args['bulk-recipients']);
  const last = driver.lastBlock || (await rpc.block('latest'));
  const summary = {
    seed: args.seed,
    steps: args.steps,
    transactions: driver.txCount,
    events: driver.events,
    bulk_logs: args['bulk-logs'],
    first_block: driver.firstBlock,
    last_block: Number(BigInt(last.number)),
    last_block_hash: last.hash,
    last_block_time: Number(BigInt(last.timestamp)),
    boundary_lock: driver.boundaryLock
      ? {
        lock_id: driver.boundaryLock.id,
        user: driver.boundaryLock.user,
        locked_until: Number(driver.boundaryLock.lockedUntil),
      }
      : null,
  };
  process.stdout.write(JSON.stringify(summary) + '\n');
  process.stderr.write(`drive.mjs: ${driver.txCount} transactions in ${Date.now() - started} ms\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) runMain('drive.mjs', main);
