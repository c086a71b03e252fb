/**
 * `npm run bench:memory -- [--hours 3] [--ext wav|flac] [--transcribe-seconds 15] [--json out.json]`
 *
 * Generates `--hours` of real speech (default a 16 kHz 16-bit WAV: 345 MB for 3 h), starts the
 * real server, uploads the file with the official SDK as a stream (chunked, no Content-Length)
 * and submits it. Every 200 ms the resident memory of the API process and of every process under
 * it (workers, engine host, ffmpeg, pocketsphinx) is read from /proc, through upload, decode, VAD
 * and the first `--transcribe-seconds` of transcription; then the job is deleted. Reports the
 * peak per process and per phase. Target: the API and worker processes stay under 300 MB.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { AssemblyAI } from 'assemblyai';
import { startServer } from '../test/helpers/server.js';
import { processTree, type ProcessSample } from './lib/proc.js';
import { fixed, mb, table, verdict, writeJson } from './lib/report.js';
import { makeSpeechFile } from './lib/speech-audio.js';

const KEY = 'bench-memory-key-0001';
const SAMPLE_MS = 200;
const LIMIT_BYTES = 300e6;
/** Phases in the order they happen; all but `upload` are inferred from the processes seen. */
const PHASES = ['idle', 'upload', 'queued/probe', 'decode', 'vad', 'transcribe'] as const;
type Phase = (typeof PHASES)[number];

interface Peak {
  pid: number;
  role: string;
  rssBytes: number;
  hwmBytes: number;
  phase: Phase;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hours: { type: 'string', default: '3' },
      ext: { type: 'string', default: 'wav' },
      'transcribe-seconds': { type: 'string', default: '15' },
      'timeout-minutes': { type: 'string', default: '20' },
      json: { type: 'string' },
    },
  });
  const hours = Number(values.hours);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'earshot-bench-memory-'));
  try {
    const file = path.join(tmp, `speech-${hours}h.${values.ext}`);
    let t0 = performance.now();
    await makeSpeechFile(file, hours * 3600);
    const { size } = await stat(file);
    console.log(
      `Generated ${hours} h of speech: ${file}, ${mb(size)} in ${fixed((performance.now() - t0) / 1000)} s`,
    );

    const server = await startServer({ env: { EARSHOT_API_KEYS: KEY } });
    const root = server.process.pid as number;
    const client = new AssemblyAI({ apiKey: KEY, baseUrl: server.url });

    // Sampling: the peak of every process, overall and per phase.
    let phase: Phase = 'idle';
    const phaseStarted = new Map<Phase, number>([['idle', performance.now()]]);
    const enter = (next: Phase): void => {
      if (PHASES.indexOf(next) <= PHASES.indexOf(phase)) return;
      phase = next;
      phaseStarted.set(next, performance.now());
      console.log(`  ${fixed((performance.now() - (phaseStarted.get('upload') ?? 0)) / 1000)} s: ${next}`);
    };
    const peaks = new Map<number, Peak>();
    const byRolePhase = new Map<string, number>();
    let treeMax: { rssBytes: number; phase: Phase } = { rssBytes: 0, phase };
    const sample = (): void => {
      const tree: ProcessSample[] = processTree(root);
      const total = tree.reduce((s, p) => s + p.rssBytes, 0);
      if (total > treeMax.rssBytes) treeMax = { rssBytes: total, phase };
      if (tree.some((p) => p.role === 'pocketsphinx')) enter('transcribe');
      else if (tree.some((p) => p.role === 'ffmpeg')) enter('decode');
      else if (phase === 'decode') enter('vad');
      for (const p of tree) {
        const peak = peaks.get(p.pid) ?? { pid: p.pid, role: p.role, rssBytes: 0, hwmBytes: 0, phase };
        if (p.rssBytes > peak.rssBytes) Object.assign(peak, { rssBytes: p.rssBytes, phase });
        peak.hwmBytes = Math.max(peak.hwmBytes, p.hwmBytes);
        peaks.set(p.pid, peak);
        const key = `${p.role}\t${phase}`;
        byRolePhase.set(key, Math.max(byRolePhase.get(key) ?? 0, p.rssBytes));
      }
    };
    const timer = setInterval(sample, SAMPLE_MS);

    let outcome = 'stopped after transcription had started';
    try {
      await sleep(1000); // the idle server, for reference
      enter('upload');
      console.log('Uploading (SDK, streamed)…');
      t0 = performance.now();
      const uploadUrl = await client.files.upload(file);
      const uploadSeconds = (performance.now() - t0) / 1000;
      console.log(
        `  uploaded in ${fixed(uploadSeconds)} s (${fixed(size / 1024 ** 2 / uploadSeconds)} MB/s)`,
      );
      enter('queued/probe');
      const job = await client.transcripts.submit({ audio: uploadUrl });
      const deadline = Date.now() + Number(values['timeout-minutes']) * 60_000;
      const stopAfter = Number(values['transcribe-seconds']) * 1000;
      for (;;) {
        await sleep(1000);
        const transcribing = phaseStarted.get('transcribe');
        if (transcribing !== undefined && performance.now() - transcribing >= stopAfter) break;
        const { status, error } = await client.transcripts.get(job.id);
        if (status === 'error' || status === 'completed') {
          outcome = `job ended early: ${status}${error ? ` (${error})` : ''}`;
          break;
        }
        if (Date.now() > deadline) {
          outcome = `time limit reached in phase ${phase}`;
          break;
        }
      }
      sample();
      await client.transcripts.delete(job.id);
    } finally {
      clearInterval(timer);
      await server.stop();
    }

    const t = phaseStarted.get('upload') ?? 0;
    console.log(
      `\nPhases (s from the start of the upload): ${PHASES.map((p) => `${p} ${phaseStarted.has(p) ? fixed(((phaseStarted.get(p) ?? 0) - t) / 1000) : '-'}`).join(', ')}`,
    );
    console.log(`Outcome: ${outcome}\n`);

    // One row per long-lived process; short-lived ones (ffmpeg, pocketsphinx runs) by role.
    const rows = [...peaks.values()];
    const roles = [...new Set(rows.map((r) => r.role))];
    const grouped = roles.map((role) => {
      const all = rows.filter((r) => r.role === role);
      const top = all.reduce((a, b) => (b.rssBytes > a.rssBytes ? b : a));
      return { ...top, processes: all.length, hwmBytes: Math.max(...all.map((r) => r.hwmBytes)) };
    });
    console.log(
      table(
        ['process', 'count', 'max RSS (sampled)', 'peak RSS (VmHWM)', 'phase at max'],
        grouped.map((g) => [g.role, String(g.processes), mb(g.rssBytes), mb(g.hwmBytes), g.phase]),
      ),
    );
    console.log(`\nmax sampled RSS by phase:`);
    console.log(
      table(
        ['process', ...PHASES],
        roles.map((role) => [
          role,
          ...PHASES.map((p) =>
            byRolePhase.has(`${role}\t${p}`) ? mb(byRolePhase.get(`${role}\t${p}`) ?? 0) : '-',
          ),
        ]),
      ),
    );
    console.log(
      `\nwhole server tree (sum of all its processes' RSS at one sample): max ${mb(treeMax.rssBytes)}, in ${treeMax.phase}\n`,
    );
    for (const role of ['api', 'worker']) {
      const g = grouped.find((x) => x.role === role);
      if (g)
        console.log(
          verdict(g.hwmBytes < LIMIT_BYTES, `${role} peak RSS ${mb(g.hwmBytes)} < ${mb(LIMIT_BYTES)}`),
        );
    }
    const sawAll = (['decode', 'vad', 'transcribe'] as const).every((p) => phaseStarted.has(p));
    console.log(verdict(sawAll, 'decode, VAD and transcription were all observed'));
    if (values.json) {
      await writeJson(values.json, {
        date: new Date().toISOString(),
        hours,
        fileBytes: size,
        outcome,
        phasesStartedMs: Object.fromEntries([...phaseStarted].map(([p, at]) => [p, at - t])),
        processes: grouped,
        treeMax,
        byRolePhase: Object.fromEntries(byRolePhase),
      });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
