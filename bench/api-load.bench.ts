/**
 * `npm run bench:api -- [--minutes 10] [--connections 10] [--duration 10] [--json out.json]`
 *
 * Starts the real server (one worker, sphinx + Silero VAD), transcribes jfk.wav, then uploads
 * `--minutes` of real speech with the official SDK and submits it. While that job transcribes,
 * autocannon hammers `GET /v2/transcript/{id}`: first the processing job, then the completed jfk
 * transcript (a larger body, with words). A last run against jfk after the long job is deleted is
 * the idle baseline. Target: >= 500 requests/s with p99 < 50 ms while a job transcribes.
 *
 * `--renice-workers n` lowers the worker processes' priority (their engine host and pocketsphinx
 * runs inherit it) before the job starts, to measure what running inference at a lower priority
 * than the API would buy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AssemblyAI } from 'assemblyai';
import autocannon from 'autocannon';
import { startServer, type TestServer } from '../test/helpers/server.js';
import { speechFile } from '../test/helpers/shared-data.js';
import { processTree } from './lib/proc.js';
import { fixed, table, verdict, writeJson } from './lib/report.js';
import { makeSpeechFile } from './lib/speech-audio.js';

const KEY = 'bench-api-key-0001';
const TARGET_RPS = 500;
const TARGET_P99_MS = 50;

interface LoadRun {
  label: string;
  transcript: string;
  bodyBytes: number;
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Cores kept busy during the run (CPU seconds / wall seconds). */
  apiCores: number;
  workerTreeCores: number;
  longJobStatus: { before: string; after: string } | null;
}

/** CPU seconds of the API process and, separately, of everything under it (workers, engines). */
function serverCpu(server: TestServer): { api: number; rest: number } {
  const tree = processTree(server.process.pid as number);
  const cpu = (p: (typeof tree)[number]): number => p.cpuSeconds + p.reapedChildrenCpuSeconds;
  const api = tree[0];
  return {
    api: api ? api.cpuSeconds : 0,
    rest: tree.slice(1).reduce((s, p) => s + cpu(p), 0) + (api?.reapedChildrenCpuSeconds ?? 0),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      duration: { type: 'string', default: '10' },
      'renice-workers': { type: 'string' },
      json: { type: 'string' },
    },
  });
  const connections = Number(values.connections);
  const duration = Number(values.duration);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-api-'));
  const server = await startServer({ env: { EARSHOT_API_KEYS: KEY } });
  const client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });
  const niceness = values['renice-workers'] === undefined ? 0 : Number(values['renice-workers']);
  if (niceness !== 0) {
    let workers: number[] = [];
    for (let i = 0; i < 100 && workers.length === 0; i++, await sleep(100)) {
      workers = processTree(server.process.pid as number)
        .filter((x) => x.role === 'worker')
        .map((x) => x.pid);
    }
    if (workers.length === 0) throw new Error('no worker process to renice');
    for (const pid of workers) os.setPriority(pid, niceness);
  }
  const status = async (id: string): Promise<string> => (await client.transcripts.get(id)).status;

  try {
    const jfk = await client.transcripts.transcribe(
      { audio: speechFile('jfk.wav') },
      { pollingInterval: 200, pollingTimeout: 120_000 },
    );
    if (jfk.status !== 'completed') throw new Error(`jfk did not complete: ${jfk.error ?? jfk.status}`);

    const longFile = path.join(tmp, 'long.wav');
    await makeSpeechFile(longFile, Number(values.minutes) * 60);
    const long = await client.transcripts.submit({ audio: await client.files.upload(longFile) });
    // Wait until the engine is at work: a pocketsphinx process under the server.
    const deadline = Date.now() + 120_000;
    while (!processTree(server.process.pid as number).some((p) => p.role === 'pocketsphinx')) {
      if (Date.now() > deadline)
        throw new Error(`the long job never reached the engine (${await status(long.id)})`);
      await sleep(100);
    }

    const measure = async (label: string, id: string, watchLong: boolean): Promise<LoadRun> => {
      const url = `${server.url}/v2/transcript/${id}`;
      const body = await (await fetch(url, { headers: { authorization: KEY } })).arrayBuffer();
      const before = watchLong ? await status(long.id) : null;
      const cpu0 = serverCpu(server);
      const t0 = performance.now();
      const r = await autocannon({ url, connections, duration, headers: { authorization: KEY } });
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = serverCpu(server);
      const after = watchLong ? await status(long.id) : null;
      return {
        label,
        transcript: id,
        bodyBytes: body.byteLength,
        requestsPerSecond: r.requests.average,
        requests: r.requests.total,
        latencyMs: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99, max: r.latency.max },
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        apiCores: (cpu1.api - cpu0.api) / seconds,
        workerTreeCores: (cpu1.rest - cpu0.rest) / seconds,
        longJobStatus: before !== null && after !== null ? { before, after } : null,
      };
    };

    const runs: LoadRun[] = [];
    runs.push(await measure('processing job, while it transcribes', long.id, true));
    runs.push(await measure('completed jfk, while the long job transcribes', jfk.id, true));
    await client.transcripts.delete(long.id);
    // Let the worker notice the deletion and its engine processes stop.
    const quiet = Date.now() + 30_000;
    while (
      processTree(server.process.pid as number).some((p) => p.role === 'pocketsphinx') &&
      Date.now() < quiet
    ) {
      await sleep(200);
    }
    runs.push(await measure('completed jfk, server idle (baseline)', jfk.id, false));

    console.log(
      `GET /v2/transcript/{id}: autocannon, ${connections} connections, ${duration} s per run; ` +
        `${values.minutes} min of speech transcribing with sphinx (1 worker, engine threads = ${os.cpus().length}, worker niceness ${niceness})\n`,
    );
    console.log(
      table(
        [
          'run',
          'body B',
          'req/s',
          'p50 ms',
          'p97.5 ms',
          'p99 ms',
          'max ms',
          'errors',
          'non-2xx',
          'API cores',
          'worker cores',
        ],
        runs.map((r) => [
          r.label,
          String(r.bodyBytes),
          fixed(r.requestsPerSecond, 0),
          String(r.latencyMs.p50),
          String(r.latencyMs.p97_5),
          String(r.latencyMs.p99),
          String(r.latencyMs.max),
          String(r.errors + r.timeouts),
          String(r.non2xx),
          fixed(r.apiCores, 2),
          fixed(r.workerTreeCores, 2),
        ]),
      ),
    );
    console.log(
      '(worker cores: CPU used by the worker, engine host and pocketsphinx processes during the run)\n',
    );
    for (const r of runs.filter((x) => x.longJobStatus)) {
      const s = r.longJobStatus as { before: string; after: string };
      console.log(
        verdict(
          s.before === 'processing' && s.after === 'processing',
          `long job processing at start and end of "${r.label}" (${s.before} → ${s.after})`,
        ),
      );
      console.log(
        verdict(r.requestsPerSecond >= TARGET_RPS, `${fixed(r.requestsPerSecond, 0)} req/s >= ${TARGET_RPS}`),
      );
      console.log(
        verdict(r.latencyMs.p99 < TARGET_P99_MS, `p99 ${r.latencyMs.p99} ms < ${TARGET_P99_MS} ms`),
      );
      console.log(
        verdict(r.errors + r.timeouts + r.non2xx === 0, 'no errors, timeouts or non-2xx responses'),
      );
    }
    if (values.json)
      await writeJson(values.json, {
        date: new Date().toISOString(),
        connections,
        duration,
        minutes: Number(values.minutes),
        runs,
      });
  } finally {
    await server.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
