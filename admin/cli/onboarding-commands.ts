// Onboarding a client's helpdesk: connect, disconnect, doctor, and the backfill of its current periods.
import { callApi, type Connection } from './api-client.js';
import { CONNECTION, type Command, type CommandIo } from './command.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './print-table.js';

const enc = encodeURIComponent;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

interface BackfillBody {
  id?: string;
  status?: 'running' | 'done' | 'failed' | 'stopped';
  createdFrom?: string | null;
  pages?: number;
  seen?: number;
  counted?: number;
  skipped?: number;
  rateLimited?: number;
  replies?: boolean;
  repliesRead?: number;
  repliesCounted?: number;
  repliesLeft?: string[];
  error?: string | null;
}

const backfillFigures = (b: BackfillBody) =>
  `${b.pages ?? 0} page(s), ${b.seen ?? 0} ticket(s) seen, ${b.counted ?? 0} counted, ${
    b.skipped ?? 0
  } skipped${
    b.replies ? `; agent replies: ${b.repliesRead ?? 0} read, ${b.repliesCounted ?? 0} counted` : ''
  }${b.rateLimited ? `, ${b.rateLimited} rate-limit wait(s)` : ''}`;

/** A bar that moves with each page (the total is not known in advance) and the figures. */
function backfillBar(b: BackfillBody): string {
  const width = 20;
  const filled = b.status === 'done' ? width : Math.min(width - 1, (b.pages ?? 0) % width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${b.status ?? '?'}: ${backfillFigures(b)}`;
}

async function runBackfill(
  tenant: string,
  wait: boolean,
  connection: Connection,
  io: CommandIo,
): Promise<string> {
  const path = `/tenants/${enc(tenant)}/backfill`;
  const started = (await callApi(connection, 'POST', path)).json as BackfillBody & {
    started?: boolean;
  };
  const since = started.createdFrom
    ? started.replies
      ? ` (tickets and replies since ${started.createdFrom})`
      : ` (tickets created since ${started.createdFrom})`
    : '';
  const head = `backfill ${started.id} of '${tenant}' ${
    started.started === false ? 'already running' : 'started'
  }${since}`;
  if (!wait) return `${head}\n`;
  io.progress(`${head}\n`);
  let body: BackfillBody = started;
  let last = '';
  for (;;) {
    const line = backfillBar(body);
    if (io.tty) io.progress(`\r${line}`);
    else if (line !== last) io.progress(`${line}\n`);
    last = line;
    if (body.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, io.pollMs));
    body = (await callApi(connection, 'GET', path)).json as BackfillBody;
  }
  if (io.tty) io.progress('\n');
  if (body.status === 'failed' || body.status === 'stopped') {
    const why =
      body.status === 'stopped' ? 'the process running it ended' : (body.error ?? 'unknown error');
    throw new CliError(
      EXIT.failed,
      `backfill of '${tenant}' stopped: ${why}; run it again to resume`,
    );
  }
  const left = body.repliesLeft?.length
    ? `replies not backfilled (counted live before the cut-off existed): ${body.repliesLeft.join(', ')}\n`
    : '';
  return `backfill of '${tenant}' done: ${backfillFigures(body)}\n${left}`;
}

interface Step {
  action: string;
  item: { kind: string; id: string; name: string };
  detail?: string;
}

const stepsTable = (steps: Step[]) =>
  table(
    ['action', 'kind', 'name', 'id', 'detail'],
    steps.map((s) => [s.action, s.item.kind, s.item.name, s.item.id, s.detail ?? '']),
  );

interface DoctorCheck {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function doctorText(
  tenant: string,
  body: { ok: boolean; webhookUrl: string | null; checks: DoctorCheck[] },
) {
  const lines = body.checks.map(
    (c) =>
      `${c.ok ? 'ok  ' : 'FAIL'}  ${c.check}: ${c.detail}${c.ok || !c.fix ? '' : `\n        fix: ${c.fix}`}`,
  );
  const failed = body.checks.filter((c) => !c.ok).length;
  const head = `doctor '${tenant}'${body.webhookUrl ? ` (events to ${body.webhookUrl})` : ''}`;
  const tail = failed === 0 ? 'all checks passed' : `${failed} check(s) failed`;
  return `${head}\n${lines.join('\n')}\n${tail}\n`;
}

const PUBLIC_URL_HELP = `  --public-url URL  where helpdesks reach this deskplan (default the service's DESKPLAN_PUBLIC_URL,
                    else the URL of the last connect)`;

/** connect and doctor: one tenant, where helpdesks reach deskplan, and --json. */
const WITH_PUBLIC_URL = {
  help: PUBLIC_URL_HELP,
  options: { ...CONNECTION, 'public-url': { type: 'string' }, json: { type: 'boolean' } },
  args: [1, 1],
} satisfies Pick<Command, 'help' | 'options' | 'args'>;

export const ONBOARDING_COMMANDS: Record<string, Command> = {
  backfill: {
    usage: 'deskplan backfill TENANT [--no-wait]',
    summary:
      "count the tickets (and agent replies) already filed in the current periods of a tenant's contracts (resumes one that stopped)",
    options: { ...CONNECTION, 'no-wait': { type: 'boolean' } },
    args: [1, 1],
    async run({ args, flags, connection, io }) {
      return runBackfill(args[0]!, flags['no-wait'] !== true, connection(), io);
    },
  },
  connect: {
    usage: 'deskplan connect TENANT [--public-url URL] [--json]',
    summary:
      "set the tenant's helpdesk up to send deskplan its events (webhook, triggers or rules, due fields); safe to run again",
    ...WITH_PUBLIC_URL,
    async run({ args, flags, connection }) {
      const tenant = args[0]!;
      const publicUrl = flags['public-url'] as string | undefined;
      const body = (
        await callApi(connection(), 'POST', `/tenants/${enc(tenant)}/connect`, {
          text: JSON.stringify(publicUrl === undefined ? {} : { publicUrl }),
          type: 'application/json',
        })
      ).json as {
        webhookUrl: string;
        vendor: string;
        steps: Step[];
        configVersion: number | null;
        warnings: string[];
      };
      if (flags.json) return json(body);
      const made = body.steps.filter((s) => s.action !== 'unchanged').length;
      const config =
        body.configVersion === null
          ? ''
          : `the tenant's connection was saved as config version ${body.configVersion}\n`;
      const warnings = body.warnings.map((w) => `warning: ${w}\n`).join('');
      return `${body.vendor} of '${tenant}' sends its events to ${body.webhookUrl}\n${stepsTable(body.steps)}${
        made === 0 ? 'nothing to change: already set up\n' : ''
      }${config}${warnings}`;
    },
  },
  disconnect: {
    usage: 'deskplan disconnect TENANT [--json]',
    summary: "remove from the tenant's helpdesk exactly what connect made there",
    options: { ...CONNECTION, json: { type: 'boolean' } },
    args: [1, 1],
    async run({ args, flags, connection }) {
      const tenant = args[0]!;
      const body = (await callApi(connection(), 'POST', `/tenants/${enc(tenant)}/disconnect`))
        .json as { steps: Step[] };
      if (flags.json) return json(body);
      if (body.steps.length === 0)
        return `nothing of deskplan's is known in the helpdesk of '${tenant}'\n`;
      return stepsTable(body.steps);
    },
  },
  doctor: {
    usage: 'deskplan doctor TENANT [--public-url URL] [--json]',
    summary:
      "check the tenant's live helpdesk set-up (credentials, webhook reachable, triggers active, fields present); exits 6 when a check fails",
    ...WITH_PUBLIC_URL,
    async run({ args, flags, connection }) {
      const tenant = args[0]!;
      const publicUrl = flags['public-url'] as string | undefined;
      const query = publicUrl === undefined ? '' : `?publicUrl=${enc(publicUrl)}`;
      const body = (await callApi(connection(), 'GET', `/tenants/${enc(tenant)}/doctor${query}`))
        .json as { ok: boolean; webhookUrl: string | null; checks: DoctorCheck[] };
      const text = flags.json ? json(body) : doctorText(tenant, body);
      if (!body.ok) throw new CliError(EXIT.checksFailed, 'some checks failed', [], text);
      return text;
    },
  },
};
