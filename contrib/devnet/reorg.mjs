#!/usr/bin/env node
// Reorganises the devnet chain with anvil_reorg: the last D blocks are
// replaced by D new blocks on the common ancestor (head - D), so the height
// is unchanged and every hash from head - D + 1 on differs.
//   --mode drop:    the new blocks are empty, so the events of the old ones vanish.
//   --mode replace: the new blocks carry other transactions — per block one
//                   TST transfer between users, and a lock in every other block —
//                   so the events differ (seeded amounts, recipients, agreement ids).
// anvil_reorg params: [depth, [[txRequest, blockOffset], ...]] with offsets 0..depth-1 into
// the new blocks; anvil signs JSON requests for its dev accounts with nonces at the ancestor.
// Transactions of the orphaned blocks are not put back in the pool.
//
// Usage: node contrib/devnet/reorg.mjs --rpc URL --deployment FILE --depth D --mode replace|drop [--seed S]
// Prints: {"old_head":{"number":N,"hash":"0x.."},"new_head":{"number":N,"hash":"0x.."},"depth":D,
//          "mode":"replace","common_ancestor":{"number":N-D,"hash":"0x.."},"transactions":n}

import { pathToFileURL } from 'node:url';
import {
  DevnetError, expectDevnet, hexQty, kTst, loadBuild, loadDeployment, makeRng, parseArgs, require, Rpc, runMain,
  usageError,
} from './lib.mjs';

const { ethers } = require('ethers');
const kUsage = 'usage: node contrib/devnet/reorg.mjs --rpc URL --deployment FILE --depth D --mode replace|drop [--seed S]';
const kTxGas = 400_000;

const head = (b) => ({ number: Number(BigInt(b.number)), hash: b.hash });

async function replacementTxs(rpc, deployment, build, rng, seed, ancestor, depth) {
  const tst = new ethers.Interface(build.contracts.TST.abi);
  const escrow = new ethers.Interface(build.contracts.P2PAgreementEscrow.abi);
  const users = deployment.users.slice(1);
  const at = hexQty(ancestor.number);
  const balanceCall = (u) => ['eth_call', [{ to: deployment.contracts.tst, data: tst.encodeFunctionData('balanceOf', [u]) }, at]];
  const raw = await rpc.batch(users.map(balanceCall));
  const balance = new Map(users.map((u, i) => [u, BigInt(raw[i])]));
  const lockedUntil = Number(BigInt(ancestor.timestamp)) + 30 * 86_400;
  const pairs = [];
  // Spend at most a small share of a balance per transaction, so every one succeeds on the new branch.
  const spend = (user) => {
    const cap = balance.get(user) / BigInt(4 * depth);
    if (cap === 0n) return 0n;
    const amount = (BigInt(rng.range(1, 1000)) * cap) / 1000n || 1n;
    balance.set(user, balance.get(user) - amount);
    return amount;
  };
  for (let offset = 0; offset < depth; offset++) {
    const from = rng.pick(users);
    const to = rng.pick(deployment.users);
    const value = spend(from);
    if (value > 0n) {
      const data = tst.encodeFunctionData('transfer', [to, value]);
      pairs.push([{ from, to: deployment.contracts.tst, gas: hexQty(kTxGas), data }, offset]);
    }
    if (offset % 2 === 0) {
      const locker = rng.pick(users);
      const amount = spend(locker);
      if (amount > 0n) {
        const data = escrow.encodeFunctionData('lock', [amount, lockedUntil, `reorg-${seed}-${offset}`]);
        pairs.push([{ from: locker, to: deployment.contracts.escrow, gas: hexQty(kTxGas), data }, offset]);
      }
    }
  }
  if (pairs.length === 0) throw new DevnetError('users hold no TST at the common ancestor: nothing to replace with');
  return pairs;
}

async function main() {
  const args = parseArgs('reorg.mjs', process.argv.slice(2), {
    rpc: { type: 'string', required: true },
    deployment: { type: 'string', required: true },
    depth: { type: 'int', required: true },
    mode: { type: 'string', required: true },
    seed: { type: 'string', default: '1' },
  }, kUsage);
  if (args.mode !== 'replace' && args.mode !== 'drop') {
    throw usageError(`--mode: '${args.mode}' is neither replace nor drop`);
  }
  if (args.depth < 1) throw usageError('--depth must be at least 1');
  const deployment = loadDeployment(args.deployment);
  const rpc = new Rpc(args.rpc);
  await expectDevnet(rpc);

  const old = await rpc.block('latest');
  const oldNumber = Number(BigInt(old.number));
  if (args.depth > oldNumber) throw new DevnetError(`--depth ${args.depth} exceeds the chain height ${oldNumber}`);
  const ancestor = await rpc.block(oldNumber - args.depth);
  if (args.mode === 'replace') {
    const code = await rpc.call('eth_getCode', [deployment.contracts.tst, hexQty(ancestor.number)]);
    if (code === '0x') {
      throw new DevnetError(`the contracts do not exist at the common ancestor ${Number(BigInt(ancestor.number))}`);
    }
  }
  const pairs = args.mode === 'replace'
    ? await replacementTxs(rpc, deployment, loadBuild(), makeRng(`reorg-${args.seed}`), args.seed, ancestor, args.depth)
    : [];
  await rpc.call('anvil_reorg', [args.depth, pairs]);

  const now = await rpc.block('latest');
  const firstNew = await rpc.block(oldNumber - args.depth + 1);
  const oldFirst = oldNumber - args.depth + 1;
  if (Number(BigInt(now.number)) !== oldNumber) {
    throw new DevnetError(`after the reorg the head is ${Number(BigInt(now.number))}, expected ${oldNumber}`);
  }
  if (firstNew.parentHash !== ancestor.hash) throw new DevnetError(`block ${oldFirst} does not build on the common ancestor`);
  if (now.hash === old.hash) throw new DevnetError('the head hash did not change');
  if (args.mode === 'replace') {
    // Every replacement transaction must have succeeded, or the new branch is not what was asked.
    let ok = 0;
    for (let n = oldFirst; n <= oldNumber; n++) {
      const block = await rpc.call('eth_getBlockByNumber', [hexQty(n), false]);
      for (const h of block.transactions) {
        const receipt = await rpc.call('eth_getTransactionReceipt', [h]);
        if (receipt.status !== '0x1') throw new DevnetError(`replacement transaction ${h} in block ${n} reverted`);
        ok++;
      }
    }
    if (ok !== pairs.length) throw new DevnetError(`new branch holds ${ok} transactions, expected ${pairs.length}`);
  }
  process.stdout.write(JSON.stringify({
    old_head: head(old),
    new_head: head(now),
    depth: args.depth,
    mode: args.mode,
    common_ancestor: head(ancestor),
    transactions: pairs.length,
  }) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) runMain('reorg.mjs', main);
