/**
 * The `POST /shutdown` endpoint of docs/protocol.md, answer by answer:
 * 405 (other methods) → 401 (no valid token) → 413 (body too large) →
 * 503 (precheck refused; the service keeps running) → 202 (accepted).
 * A valid POST during or after an accepted shutdown answers 202 again: the
 * request is idempotent, so a retry from tierdown is not mistaken for a
 * refusal and escalated to SIGTERM.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AUTHORIZATION_HEADER, BEARER_SCHEME, SHUTDOWN_METHOD, SHUTDOWN_STATUS } from '../protocol.js';
import { describe } from './errors.js';
import type { NormalisedOptions } from './options.js';
import { parseDeadlineMs, pathnameOf, readBody, sendJson } from './request.js';
import type { ShutdownRun } from './run.js';
import { bearerMatches } from './token.js';
import type { Precheck, PrecheckContext } from './types.js';

type Verdict = { ok: true } | { ok: false; reason: string };

/** Returns `handle(req, res)`: true when the request was for the shutdown path (and is being answered). */
export function createShutdownEndpoint(options: NormalisedOptions, run: ShutdownRun) {
  // Concurrent POSTs share one precheck instead of asking it twice.
  let pendingPrecheck: Promise<Verdict> | undefined;

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== SHUTDOWN_METHOD) {
      await sendJson(res, SHUTDOWN_STATUS.methodNotAllowed, { error: 'method not allowed' }, { Allow: SHUTDOWN_METHOD });
      return;
    }
    if (!bearerMatches(req.headers[AUTHORIZATION_HEADER], options.token)) {
      await sendJson(res, SHUTDOWN_STATUS.unauthorized, { error: 'unauthorized' }, { 'WWW-Authenticate': BEARER_SCHEME });
      return;
    }
    if (run.phase !== 'running') return acceptAgain(res);
    const body = await readBody(req);
    if (body.kind === 'aborted') return;
    if (body.kind === 'tooLarge') {
      await sendJson(res, SHUTDOWN_STATUS.tooLarge, { error: 'body too large' }, { Connection: 'close' });
      return;
    }
    const deadlineMs = parseDeadlineMs(body.text, options.defaultDeadlineMs);
    if (run.phase === 'running') {
      pendingPrecheck ??= askPrecheck(options.precheck, { deadlineMs }).finally(() => (pendingPrecheck = undefined));
      const verdict = await pendingPrecheck;
      // A signal may have started the shutdown meanwhile; then the POST just joins it.
      if (!verdict.ok && run.phase === 'running') {
        options.log(`shutdown refused by precheck: ${verdict.reason}`);
        await sendJson(res, SHUTDOWN_STATUS.refused, { accepted: false, reason: verdict.reason });
        return;
      }
    }
    if (run.phase !== 'running') return acceptAgain(res);
    const flushed = sendJson(res, SHUTDOWN_STATUS.accepted, { accepted: true }, { Connection: 'close' });
    void run.start('http', deadlineMs, flushed);
  }

  async function acceptAgain(res: ServerResponse): Promise<void> {
    await sendJson(res, SHUTDOWN_STATUS.accepted, { accepted: true, alreadyShuttingDown: true }, { Connection: 'close' });
  }

  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (pathnameOf(req.url) !== options.path) return false;
    answer(req, res).catch((error: unknown) => {
      options.log(`shutdown request failed: ${describe(error)}`);
      if (!res.headersSent) void sendJson(res, SHUTDOWN_STATUS.internalError, { accepted: false, reason: 'internal error' });
      else res.destroy();
    });
    return true;
  };
}

async function askPrecheck(precheck: Precheck | undefined, context: PrecheckContext): Promise<Verdict> {
  if (!precheck) return { ok: true };
  try {
    const verdict = await precheck(context);
    if (verdict === true || (typeof verdict === 'object' && verdict !== null && verdict.ok)) return { ok: true };
    const reason = typeof verdict === 'object' && verdict !== null && !verdict.ok ? verdict.reason : undefined;
    return { ok: false, reason: reason ?? 'refused by precheck' };
  } catch (error) {
    return { ok: false, reason: `precheck failed: ${describe(error)}` };
  }
}
