#!/usr/bin/env node
// Deploys the four SPEC 3.1 contracts to the devnet from anvil's default
// account 0 (mnemonic "test test ... junk"), mints 10 000 TST to each of the
// ten default accounts (the users) and approves the three TST-pulling
// contracts for each user. Writes the deployment file:
//   {"chain_id":56,"deploy_block":N,"contracts":{"tst":"0x..","escrow":"0x..","staking":"0x..",
//    "compute_reserve":"0x.."},"owner":"0x..","users":["0x..", ...]}   (addresses lowercase)
// and prints it on one line. Sets anvil's block timestamp interval to 3 s.
//
// Usage: node contrib/devnet/deploy.mjs --rpc URL --out FILE

import { renameSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  expectDevnet, kBlockInterval, kMnemonic, kTst, loadBuild, parseArgs, require, Rpc, runMain, transact,
  DevnetError,
} from './lib.mjs';

const { ethers } = require('ethers');
const kUsage = 'usage: node contrib/devnet/deploy.mjs --rpc URL --out FILE';
const kUserCount = 10;
const kMintPerUser = 10_000n * kTst;

// anvil's default accounts: m/44'/60'/0'/0/i of the default mnemonic.
export function defaultAccounts(count) {
  const root = ethers.HDNodeWallet.fromPhrase(kMnemonic, undefined, "m/44'/60'/0'/0");
  return Array.from({ length: count }, (_, i) => root.deriveChild(i).address.toLowerCase());
}

async function main() {
  const args = parseArgs('deploy.mjs', process.argv.slice(2), {
    rpc: { type: 'string', required: true },
    out: { type: 'string', required: true },
  }, kUsage);
  const rpc = new Rpc(args.rpc);
  const build = loadBuild();
  await expectDevnet(rpc);

  const users = defaultAccounts(kUserCount);
  const unlocked = new Set((await rpc.call('eth_accounts')).map((a) => a.toLowerCase()));
  const missing = users.filter((u) => !unlocked.has(u));
  if (missing.length > 0) {
    throw new DevnetError(
      `node does not hold anvil's default accounts (missing ${missing[0]}): start anvil with its default mnemonic`);
  }
  const owner = users[0];
  await rpc.call('anvil_setBlockTimestampInterval', [kBlockInterval]);

  const deploy = async (name, ctorArgs) => {
    const c = build.contracts[name];
    const data = ethers.concat([c.bytecode, new ethers.Interface(c.abi).encodeDeploy(ctorArgs)]);
    const receipt = await transact(rpc, { from: owner, data }, `deploy ${name}`);
    return { address: receipt.contractAddress.toLowerCase(), block: Number(BigInt(receipt.blockNumber)) };
  };
  const tst = await deploy('TST', []);
  const escrow = await deploy('P2PAgreementEscrow', [tst.address]);
  const staking = await deploy('AccessTierStaking', [tst.address]);
  const compute = await deploy('EntityComputeReserve', [tst.address]);

  const tstIface = new ethers.Interface(build.contracts.TST.abi);
  for (const user of users) {
    await transact(rpc, { from: owner, to: tst.address, data: tstIface.encodeFunctionData('mint', [user, kMintPerUser]) },
      `mint to ${user}`);
  }
  for (const user of users) {
    for (const spender of [escrow.address, staking.address, compute.address]) {
      const data = tstIface.encodeFunctionData('approve', [spender, ethers.MaxUint256]);
      await transact(rpc, { from: user, to: tst.address, data }, `approve ${spender} for ${user}`);
    }
  }

  const deployment = {
    chain_id: 56,
    deploy_block: tst.block,
    contracts: { tst: tst.address, escrow: escrow.address, staking: staking.address, compute_reserve: compute.address },
    owner,
    users,
  };
  const text = JSON.stringify(deployment);
  const tmp = `${args.out}.tmp`;
  try {
    writeFileSync(tmp, text + '\n');
    renameSync(tmp, args.out);
  } catch (err) {
    throw new DevnetError(`--out: cannot write ${args.out}: ${err.message}`);
  }
  process.stdout.write(text + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] || '').href) {
  runMain('deploy.mjs', main);
}
