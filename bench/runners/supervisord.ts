/**
 * supervisord, set up as fairly as it allows: one program with `numprocs=N`,
 * each process its own group (`stopasgroup`, `killasgroup`), `stopwaitsecs=1`
 * (the grace), its own config and socket in a temporary folder, run in the
 * foreground (`-n`) so the bench owns its pid. Stopped with `supervisorctl stop all`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup, own } from '../ledger.js';
import { GRACE_MS, serviceArgv, type Kind } from '../services.js';
import { findOnPath, runCommand } from './command.js';
import { supervisedStack } from './supervised.js';
import type { Runner } from './types.js';

function config(dir: string, n: number, kind: Kind): string {
  // supervisord splits `command` like a shell (shlex); '%' would be interpolation.
  const [file, flag, script] = serviceArgv(kind);
  return `[unix_http_server]
file=${dir}/supervisor.sock

[supervisord]
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}
loglevel=warn

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${dir}/supervisor.sock

[program:svc]
command=${file} ${flag} '${script.replaceAll('%', '%%')}'
process_name=%(program_name)s_%(process_num)03d
numprocs=${n}
autostart=true
autorestart=false
startsecs=0
stopsignal=TERM
stopasgroup=true
killasgroup=true
stopwaitsecs=${GRACE_MS / 1000}
stdout_logfile=NONE
stderr_logfile=NONE
`;
}

export const supervisordRunner: Runner = {
  key: 'supervisord',
  label: 'supervisord',
  peer: true,
  unavailable: async () =>
    findOnPath('supervisord') && findOnPath('supervisorctl') ? undefined : 'not installed (bench/peers/install.sh installs it)',
  start: async (n, kind, workDir) => {
    const dir = join(workDir, `supervisord-${kind}-${n}`);
    mkdirSync(dir, { recursive: true });
    const conf = join(dir, 'supervisord.conf');
    writeFileSync(conf, config(dir, n, kind));
    const ctl = (...args: string[]) => runCommand('supervisorctl', ['-c', conf, ...args]);
    const daemon = spawn('supervisord', ['-n', '-c', conf], { detached: true, stdio: 'ignore' });
    own(daemon.pid);
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    const close = async () => {
      // SIGTERM makes supervisord stop its programs and leave; anything left is killed by the ledger.
      daemon.kill('SIGTERM');
      const timer = setTimeout(() => daemon.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      removeHook();
    };
    const removeHook = onCleanup(close);
    return supervisedStack({
      what: `supervisord to run ${n} programs`,
      n,
      runningPids: async () => {
        if (gone) throw new Error(`supervisord exited; see ${dir}/supervisord.log`);
        const status = await ctl('status');
        if ((status.stdout.match(/ RUNNING /g) ?? []).length < n) return [];
        return (await ctl('pid', 'all')).stdout.split('\n').map(Number).filter((pid) => pid > 0);
      },
      stopAll: () => ctl('stop', 'all'),
      close,
    });
  },
};
