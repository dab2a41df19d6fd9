/**
 * Plugs the real actors of src/actors into the pure machines of machines/, by
 * the names the machines give them. This is the only place the two meet.
 */
import { readInputFile } from '../files/bounded-read.js';
import { fromCallback, fromPromise } from 'xstate';
import { timerDelay } from '../../machines/delays.js';
import { composeOrchestrator, type Verdict } from '../../machines/compose.js';
import {
  serviceMachine,
  type CommandResult,
  type HttpResult,
  type HttpShutdownInput,
  type ServiceEvent,
  type StopCommandInput,
} from '../../machines/service.js';
import { postShutdown } from '../actors/http-shutdown.js';
import { processSnapshot } from '../actors/process/group.js';
import { killProcessTree, sendStopSignal, type SignalResult } from '../actors/process/signal.js';
import { MARKER_VARIABLE } from '../actors/process/spawn.js';
import { cgroupTreeEmpty } from '../actors/process/cgroup.js';
import { watchExit } from '../actors/process/watch.js';
import { healthProbeActor } from '../actors/healthcheck.js';
import { startWaveActor } from '../actors/start-wave.js';
import { runStopCommand } from '../actors/stop-command.js';
import { serviceCgroupOf } from '../actors/stop-command-cgroup.js';
import { pollUntil, probeUrl } from '../actors/url-probe.js';
import { verifyStopped } from '../actors/verify.js';
import { explainClientCertificateRefusal } from '../tls/agent.js';
import { serviceDispatcher } from '../actors/http-dispatchers.js';
import type { Run } from './run.js';

/**
 * The token for a service's shutdown request: a remote service's own, from its
 * tokenFile (redacted from then on); a local one's, the token its running
 * process was given at spawn. Tokens of the run never leave the machine (config
 * loading refuses a remote service without a tokenFile; this holds for configs
 * built by other means too).
 */
async function tokenFor(run: Run, name: string): Promise<string | undefined> {
  const { tokenFile, command } = run.service(name);
  // A regular file of at most 1 MiB: a FIFO there must not hang the stop (docs/security.md#input-bounds).
  if (tokenFile) {
    const token = readInputFile(tokenFile).toString('utf8').trim();
    run.tokens.remember(token);
    return token;
  }
  return command ? run.tokens.of(name) : undefined;
}

function reportSignalErrors(run: Run, name: string, result: SignalResult | undefined): void {
  for (const message of result?.errors ?? []) run.emit({ type: 'signalError', service: name, message });
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** `originMs`: the start of the current stop, from which transition times count. */
export function provideMachines(run: Run, originMs: () => number) {
  const service = serviceMachine.provide({
    actions: {
      announceTierChoice: (_, { service: name, steps, detail }) => run.emit({ type: 'tierResolved', service: name, steps, detail }),
      announceTransition: (_, notice) =>
        run.emit({ type: 'transition', service: notice.service, from: notice.from, to: notice.to, atMs: round(notice.at - originMs()), reason: notice.reason }),
      // Errors come twice: from the group signal now, from the sweep outside the group right after.
      sendStopSignal: ({ context }) => {
        const handle = run.processes.get(context.name);
        const report = (result: SignalResult) => reportSignalErrors(run, context.name, result);
        if (handle) report(sendStopSignal(handle, context.signal as NodeJS.Signals, report));
      },
      killProcessTree: ({ context }) => {
        const handle = run.processes.get(context.name);
        const report = (result: SignalResult) => reportSignalErrors(run, context.name, result);
        if (handle) report(killProcessTree(handle, report));
      },
    },
    actors: {
      httpShutdown: fromPromise<HttpResult, HttpShutdownInput>(async ({ input, signal }) => {
        const url = run.service(input.name).shutdownUrl;
        if (!url) return { outcome: 'missing', status: null, detail: 'no shutdown URL configured' };
        let token: string | undefined;
        try {
          token = await tokenFor(run, input.name);
        } catch (error) {
          return { outcome: 'error', status: null, detail: `cannot read token file: ${(error as Error).message}` };
        }
        if (token === undefined) return { outcome: 'error', status: null, detail: 'not sent: a remote service needs shutdown.tokenFile' };
        // The port-owner check is the dispatcher's, once per connection: a squatter never gets the
        // token (nor answers for the service), and a kept connection pays nothing (http-port-check.ts).
        let dispatcher;
        try {
          dispatcher = serviceDispatcher(run.http, run.service(input.name));
        } catch (error) {
          return { outcome: 'error', status: null, detail: (error as Error).message };
        }
        // The machine's httpTimeout is the deadline; this one only frees the socket.
        const result = await postShutdown({
          url,
          token,
          deadlineMs: input.deadlineMs,
          timeoutMs: timerDelay(input.timeoutMs + 1000),
          answerWithinMs: input.timeoutMs,
          signal,
          dispatcher,
          sanitize: run.tokens.sanitize,
        });
        return explainClientCertificateRefusal(result, run.service(input.name).tls?.cert);
      }),
      runStopCommand: fromPromise<CommandResult, StopCommandInput>(async ({ input, signal }) => {
        const service = run.service(input.name);
        if (!service.stop) return { outcome: 'notFound', exitCode: null, detail: 'no stop.command configured' };
        return runStopCommand({
          command: service.stop.command,
          cwd: service.cwd,
          env: service.env,
          // The service's own token (none for a remote service: the run's tokens stay on this machine).
          token: service.command ? run.tokens.of(input.name) : undefined,
          pid: input.pid,
          runAs: service.runAs,
          signal,
          cgroup: serviceCgroupOf(run.processes.get(input.name)?.cgroup),
          sanitize: run.tokens.sanitize,
          onLine: (stream, line) => run.emit({ type: 'log', service: input.name, stream, line: `[stop command] ${line}` }),
        });
      }),
      // A remote service's health URL, probed while it is awaited; the machine decides when silence means gone.
      watchUrl: fromCallback<ServiceEvent, { name: string }>(({ sendBack, input }) => {
        const service = run.service(input.name);
        const { healthUrl, command } = service;
        // A local service's exit comes from watchProcess; this actor only serves remote ones.
        if (command || !healthUrl) return undefined;
        const { pollMs, verifyTimeoutMs } = run.timing;
        const abort = new AbortController();
        const probeOnce = async () => {
          const answered = (await probeUrl(healthUrl, verifyTimeoutMs, abort.signal, serviceDispatcher(run.http, service))) !== null;
          if (!abort.signal.aborted) sendBack({ type: answered ? 'URL_ANSWERED' : 'URL_SILENT' });
          return false;
        };
        pollUntil(probeOnce, { intervalMs: pollMs, timeoutMs: Number.POSITIVE_INFINITY, signal: abort.signal }).catch(() => undefined);
        return () => abort.abort();
      }),
      watchProcess: fromCallback<ServiceEvent, { name: string; pid: number | null }>(({ sendBack, input }) => {
        const handle = run.processes.get(input.name);
        if (!handle || handle.pid !== input.pid) return undefined;
        return watchExit(handle, sendBack, { firstPollMs: run.timing.firstExitPollMs, maxPollMs: run.timing.maxExitPollMs });
      }),
      // EXTEND_TIMEOUT_USEC on the service's NOTIFY_SOCKET: the machine decides whether it is granted.
      listenNotify: fromCallback<ServiceEvent, { name: string }>(({ sendBack, input }) =>
        run.notify.on(input.name, (notification) => {
          if (notification.extendMs !== undefined) sendBack({ type: 'EXTEND_TIMEOUT', ms: notification.extendMs });
        }),
      ),
    },
  });
  return composeOrchestrator({
    service,
    startWave: startWaveActor(run),
    verifyServices: fromPromise<Record<string, Verdict>, { names: string[] }>(async ({ input }) => {
      // One /proc scan for all, and only if a service outside a cgroup needs it; one read of the
      // run's cgroup.events for all in cgroups (verify.ts).
      let scanned: ReturnType<typeof processSnapshot> | undefined;
      let runEmpty: boolean | undefined;
      const shared = {
        snapshot: () => (scanned ??= processSnapshot(MARKER_VARIABLE)),
        emptyCgroup: () => ((runEmpty ??= run.cgroupDir !== undefined && cgroupTreeEmpty(run.cgroupDir)) ? run.cgroupDir : undefined),
      };
      const verdicts = await Promise.all(input.names.map((name) => verifyStopped(run.service(name), run.processes.get(name), shared, run.timing.verifyTimeoutMs)));
      return Object.fromEntries(input.names.map((name, index) => [name, verdicts[index]]));
    }),
    probe: healthProbeActor(run),
    announce: {
      announceExit: (notice) => run.emit({ type: 'exited', ...notice }),
      announceUnhealthy: (notice) => run.emit({ type: 'unhealthy', ...notice }),
      announceHealthy: ({ service }) => run.emit({ type: 'healthy', service }),
      announceStartFailure: ({ service, message }) => run.emit({ type: 'startFailed', service, message }),
      announceBackoff: (notice) => run.emit({ type: 'restartScheduled', ...notice }),
      announceGiveUp: (notice) => run.emit({ type: 'restartsExhausted', ...notice }),
    },
  });
}
