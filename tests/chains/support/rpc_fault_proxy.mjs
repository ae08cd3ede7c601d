// A fault-injecting JSON-RPC proxy for the BSC end-to-end tests (SPEC 3.4:
// "RPC faults ... lead to retries with exponential backoff and jitter, range
// splitting for logs, and failover across rpc_urls; never a crash and never
// a gap"). It forwards every request to a real node and, seeded and at the
// given rates, answers instead with: HTTP 429 (with Retry-After), HTTP 502,
// a truncated body, malformed JSON, a dropped connection, or a delay; and it
// refuses eth_getLogs ranges wider than --max-range blocks the way geth words
// it (-32005 "query returned more than 10000 results"). With --no-finalized it
// answers the "finalized" block tag with the error of a node that predates it
// (SPEC 7: finality then comes from `confirmations`).
//
//   node rpc_fault_proxy.mjs --upstream URL --port-file FILE [--seed N]
//        [--fault-rate PERCENT] [--max-range BLOCKS] [--slow-ms MS] [--no-finalized 1]
//        [--delay-ms MS]   (every forwarded request waits MS first: a slow node)
//
// It writes the port it listens on to FILE once listening, and counts what
// it did: GET /__stats answers {"forwarded":…, "faults":{kind:count}, "range_refusals":…,
// "finalized_refusals":…}.
import http from 'node:http';
import fs from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
if (!args.upstream || !args['port-file']) {
  console.error('usage: rpc_fault_proxy.mjs --upstream URL --port-file FILE [--seed N] [--fault-rate P] [--max-range B]');
  process.exit(2);
}
const faultRate = Number(args['fault-rate'] ?? 0);
const maxRange = args['max-range'] === undefined ? Infinity : Number(args['max-range']);
const slowMs = Number(args['slow-ms'] ?? 1500);
const delayMs = Number(args['delay-ms'] ?? 0);
const noFinalized = args['no-finalized'] !== undefined;
let state = BigInt(args.seed ?? 1) || 1n;
// xorshift64: deterministic for a seed.
const random = () => {
  state ^= (state << 13n) & 0xffffffffffffffffn;
  state ^= state >> 7n;
  state ^= (state << 17n) & 0xffffffffffffffffn;
  return Number(state % 1000000n) / 1000000;
};
const stats = { forwarded: 0, faults: {}, range_refusals: 0, finalized_refusals: 0 };
const count = (kind) => { stats.faults[kind] = (stats.faults[kind] ?? 0) + 1; };
const kinds = ['429', '502', 'truncated', 'malformed', 'drop', 'slow'];

const tooWide = (call) => {
  if (call?.method !== 'eth_getLogs') return false;
  const filter = call.params?.[0] ?? {};
  const from = BigInt(filter.fromBlock ?? '0x0');
  const to = BigInt(filter.toBlock ?? '0x0');
  return Number(to - from + 1n) > maxRange;
};
const asksFinalized = (call) =>
  noFinalized && call?.method === 'eth_getBlockByNumber' && call.params?.[0] === 'finalized';

const server = http.createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  let parsed;
  try { parsed = JSON.parse(body); } catch { parsed = null; }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  if (!Array.isArray(parsed) && tooWide(parsed)) {
    stats.range_refusals++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: parsed.id,
      error: { code: -32005, message: 'query returned more than 10000 results' } }));
    return;
  }
  if (!Array.isArray(parsed) && asksFinalized(parsed)) {
    stats.finalized_refusals++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', id: parsed.id,
      error: { code: -32602, message: 'invalid argument 0: block tag "finalized" not supported' } }));
    return;
  }
  if (random() * 100 < faultRate) {
    const kind = kinds[Math.floor(random() * kinds.length)];
    count(kind);
    switch (kind) {
      case '429':
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' });
        res.end('rate limited');
        return;
      case '502':
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('bad gateway');
        return;
      case 'truncated': {
        const upstream = await forward(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(upstream.slice(0, Math.floor(upstream.length / 2)));
        return;
      }
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"jsonrpc":"2.0","id":' + (calls[0]?.id ?? 1) + ',"result":[{"oops"');
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, slowMs));
        break;
    }
  }
  stats.forwarded++;
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const upstream = await forward(body);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(upstream);
});

async function forward(body) {
  const answer = await fetch(args.upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return await answer.text();
}

server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(args['port-file'], String(server.address().port));
});
