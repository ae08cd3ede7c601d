#!/usr/bin/env node
// Compiles contracts/*.sol with solc-js (optimizer on) into build/contracts.json:
// {"sources_sha256": "...", "solc": "...", "contracts": {"TST": {"abi": [...], "bytecode": "0x..."}, ...}}.
// Skips the work when the sources' hash is unchanged (the hash covers every
// .sol file's name and bytes, and the compiler version).
//
// Usage: node contrib/devnet/build.mjs [--force]

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DevnetError, kBuildFile, parseArgs, require, runMain } from './lib.mjs';

const kUsage = 'usage: node contrib/devnet/build.mjs [--force]';
const kContracts = ['TST', 'P2PAgreementEscrow', 'AccessTierStaking', 'EntityComputeReserve'];

async function main() {
  const args = parseArgs('build.mjs', process.argv.slice(2), { force: { type: 'bool' } }, kUsage);
  const solc = require('solc');
  const dir = new URL('./contracts/', import.meta.url);
  const names = readdirSync(dir).filter((f) => f.endsWith('.sol')).sort();
  const sources = {};
  const hash = createHash('sha256').update(solc.version()).update('\0');
  for (const name of names) {
    const content = readFileSync(new URL(name, dir), 'utf8');
    sources[name] = { content };
    hash.update(name).update('\0').update(content).update('\0');
  }
  const digest = hash.digest('hex');

  if (!args.force) {
    try {
      const old = JSON.parse(readFileSync(kBuildFile, 'utf8'));
      if (old.sources_sha256 === digest) {
        process.stdout.write(`build.mjs: up to date (${digest.slice(0, 12)})\n`);
        return;
      }
    } catch {
      // no or unreadable previous build: compile
    }
  }

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  for (const e of output.errors || []) process.stderr.write(e.formattedMessage);
  if (errors.length > 0) throw new DevnetError(`${errors.length} compile error(s)`);

  const contracts = {};
  for (const name of kContracts) {
    const c = output.contracts[`${name}.sol`]?.[name];
    if (!c) throw new DevnetError(`contract ${name} missing from the compiler output`);
    contracts[name] = { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object };
  }
  mkdirSync(new URL('./', kBuildFile), { recursive: true });
  const tmp = new URL('./contracts.json.tmp', kBuildFile);
  writeFileSync(tmp, JSON.stringify({ sources_sha256: digest, solc: solc.version(), contracts }, null, 1) + '\n');
  renameSync(tmp, kBuildFile); // atomic: a concurrent reader never sees half a file
  process.stdout.write(`build.mjs: compiled ${kContracts.length} contracts with solc ${solc.version()}\n`);
}

runMain('build.mjs', main);
