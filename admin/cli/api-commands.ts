import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { configWarnings } from '../../worker/rules/config/config-warnings.js';
import { parseTenantFile } from '../../worker/tenants/parse-tenant-file.js';
import { resolveEnvRefs } from '../../worker/tenants/seal-secrets.js';
import type { FailedJob } from '../api/routes/operations-routes.js';
import { callApi, connectionFrom } from './api-client.js';
import { CliError, EXIT } from './exit-codes.js';
import { table } from './print-table.js';
import { CONNECTION, CONNECTION_HELP, STDERR_IO, type Command, type CommandIo } from './command.js';
import { ONBOARDING_COMMANDS } from './onboarding-commands.js';

export type { CommandIo } from './command.js';

const enc = encodeURIComponent;
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function readConfigFile(file: string): { text: string; config: unknown; type: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(EXIT.usage, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
  }
  try {
    const isJson = /\.json$/i.test(file);
    const config: unknown = isJson ? JSON.parse(text) : parseYaml(text);
    return { text, config, type: isJson ? 'application/json' : 'application/yaml' };
  } catch (error) {
    throw new CliError(
      EXIT.invalid,
      `${file} does not parse: ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

const idOf = (config: unknown) =>
  typeof config === 'object' &&
  config !== null &&
  typeof (config as { id?: unknown }).id === 'string'
    ? (config as { id: string }).id
    : null;

export const API_COMMANDS: Record<string, Command> = {
  ...ONBOARDING_COMMANDS,
  validate: {
    usage: 'deskplan validate -f tenant.yaml',
    summary: 'check a tenant file offline: every problem by path, then warnings',
    options: { file: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } },
    args: [0, 0],
    async run({ flags }) {
      if (typeof flags.file !== 'string') throw new CliError(EXIT.usage, 'validate needs -f FILE');
      const { config } = readConfigFile(flags.file);
      // `${NAME}` and `${NAME:-default}` are read from this environment, as the service does.
      const missing = new Set<string>();
      const parsed = parseTenantFile(resolveEnvRefs(config, process.env, missing));
      const unset = [...missing].map(
        (name) =>
          `${name} is not set in this environment: the fields that use it were checked empty`,
      );
      if (!parsed.ok) {
        throw new CliError(EXIT.invalid, `${flags.file} is not a valid tenant config`, [
          ...parsed.problems,
          ...unset,
        ]);
      }
      const warnings = [...unset, ...configWarnings(parsed.tenant.rules)];
      return `${flags.file}: tenant '${parsed.tenant.rules.id}' is valid${
        warnings.length
          ? `, with ${warnings.length} warning(s):\n${warnings.map((w) => `  ! ${w}`).join('\n')}`
          : ''
      }\n`;
    },
  },
  apply: {
    usage: 'deskplan apply -f tenant.yaml [--tenant ID]',
    summary: "create or replace a tenant's config (a new version)",
    options: { ...CONNECTION, file: { type: 'string', short: 'f' }, tenant: { type: 'string' } },
    args: [0, 0],
    async run({ flags, connection }) {
      if (typeof flags.file !== 'string') throw new CliError(EXIT.usage, 'apply needs -f FILE');
      const { text, config, type } = readConfigFile(flags.file);
      const tenant = (flags.tenant as string | undefined) ?? idOf(config);
      if (!tenant) throw new CliError(EXIT.usage, `${flags.file} has no id: give --tenant ID`);
      const answer = await callApi(connection(), 'PUT', `/tenants/${enc(tenant)}`, { text, type });
      const body = answer.json as {
        version?: number;
        created?: boolean;
        changed?: boolean;
        warnings?: string[];
      } | null;
      const what = body?.created ? 'created' : body?.changed === false ? 'unchanged' : 'saved';
      const warnings = (body?.warnings ?? []).map((w) => `  ! ${w}\n`).join('');
      return `tenant '${tenant}': version ${body?.version ?? '?'} ${what}\n${warnings}`;
    },
  },
  tenants: {
    usage: 'deskplan tenants [--json]',
    summary: 'list the tenants this token may see, with their config version',
    options: { ...CONNECTION, json: { type: 'boolean' } },
    args: [0, 0],
    async run({ flags, connection }) {
      const answer = await callApi(connection(), 'GET', '/tenants');
      if (flags.json) return json(answer.json);
      const tenants = ((answer.json as { tenants?: unknown[] })?.tenants ?? []) as Record<
        string,
        unknown
      >[];
      if (tenants.length === 0) return 'no tenants yet: add one with deskplan apply -f FILE\n';
      return table(
        ['tenant', 'version', 'saved at'],
        tenants.map((t) => [t.tenantId, t.version, t.savedAt]),
      );
    },
  },
  get: {
    usage: 'deskplan get tenant ID [--json]',
    summary: "print a tenant's config (secrets are never shown)",
    options: { ...CONNECTION, json: { type: 'boolean' } },
    args: [2, 2],
    async run({ args, flags, connection }) {
      if (args[0] !== 'tenant')
        throw new CliError(EXIT.usage, `get knows 'tenant', not '${args[0]}'`);
      const answer = await callApi(connection(), 'GET', `/tenants/${enc(args[1]!)}`);
      return flags.json ? json(answer.json) : toYaml(answer.json);
    },
  },
  usage: {
    usage: 'deskplan usage TENANT [--contract ID] [--period P] [--csv | --json]',
    summary: "a tenant's usage per contract and limit (P: current, 2026-10, or a period key)",
    options: {
      ...CONNECTION,
      contract: { type: 'string' },
      period: { type: 'string' },
      csv: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    args: [1, 1],
    async run({ args, flags, connection }) {
      const query = new URLSearchParams();
      if (flags.contract) query.set('contract', String(flags.contract));
      if (flags.period) query.set('period', String(flags.period));
      if (flags.csv) query.set('format', 'csv');
      const q = query.size ? `?${query}` : '';
      const answer = await callApi(connection(), 'GET', `/tenants/${enc(args[0]!)}/usage${q}`);
      if (flags.csv) return answer.text;
      if (flags.json) return json(answer.json);
      return usageTable(answer.json);
    },
  },
  report: {
    usage: 'deskplan report --month 2026-11 | --from YYYY-MM-DD --to YYYY-MM-DD [--csv | --json]',
    summary: 'the billing report of every tenant and contract for a month or range',
    options: {
      ...CONNECTION,
      month: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    args: [0, 0],
    async run({ flags, connection }) {
      const query = new URLSearchParams();
      for (const k of ['month', 'from', 'to'] as const)
        if (flags[k]) query.set(k, String(flags[k]));
      if (!query.size) throw new CliError(EXIT.usage, 'report needs --month or --from and --to');
      if (flags.csv) query.set('format', 'csv');
      const answer = await callApi(connection(), 'GET', `/reports/billing?${query}`);
      if (flags.csv) return answer.text;
      if (flags.json) return json(answer.json);
      return reportTable(answer.json);
    },
  },
  failed: {
    usage: 'deskplan failed TENANT [--json]',
    summary: "a tenant's failed jobs, with the helpdesk's error",
    options: { ...CONNECTION, json: { type: 'boolean' } },
    args: [1, 1],
    async run({ args, flags, connection }) {
      const answer = await callApi(connection(), 'GET', `/tenants/${enc(args[0]!)}/failed`);
      if (flags.json) return json(answer.json);
      const { failed, more } = answer.json as { failed: FailedJob[]; more: boolean };
      if (failed.length === 0) return `no failed jobs for '${args[0]}'\n`;
      const error = (e: FailedJob['error']) =>
        e.vendorStatus === null ? e.message : `${e.vendor} ${e.vendorStatus}: ${e.message}`;
      return (
        table(
          ['job', 'kind', 'ticket', 'failed at', 'attempts', 'error'],
          failed.map((j) => [j.jobId, j.kind, j.ticketId, j.failedAt, j.attempts, error(j.error)]),
        ) + (more ? 'more failed jobs than shown: see --json or the API with ?limit=\n' : '')
      );
    },
  },
  retry: {
    usage: 'deskplan retry TENANT [JOB]',
    summary: "retry one failed job, or all of a tenant's",
    options: CONNECTION,
    args: [1, 2],
    async run({ args, connection }) {
      const [tenant, job] = args as [string, string | undefined];
      const path = job
        ? `/tenants/${enc(tenant)}/failed/${enc(job)}/retry`
        : `/tenants/${enc(tenant)}/failed/retry`;
      const answer = await callApi(connection(), 'POST', path);
      const { retried } = answer.json as { retried: string[] };
      return `retried ${retried.length} job(s) of '${tenant}'\n`;
    },
  },
  pause: {
    usage: 'deskplan pause TENANT',
    summary: "hold a tenant's events (webhooks are still accepted and kept)",
    options: CONNECTION,
    args: [1, 1],
    async run({ args, connection }) {
      await callApi(connection(), 'POST', `/tenants/${enc(args[0]!)}/pause`);
      return `tenant '${args[0]}' paused: its webhooks are kept until you resume it\n`;
    },
  },
  resume: {
    usage: 'deskplan resume TENANT',
    summary: "process a paused tenant's kept events, in order",
    options: CONNECTION,
    args: [1, 1],
    async run({ args, connection }) {
      const answer = await callApi(connection(), 'POST', `/tenants/${enc(args[0]!)}/resume`);
      const { released } = answer.json as { released: number };
      return `tenant '${args[0]}' resumed: ${released} kept job(s) queued\n`;
    },
  },
  share: {
    usage: 'deskplan share TENANT CONTRACT | share TENANT --list | share TENANT --revoke LINK',
    summary:
      "a link to a contract's read-only customer usage page (shown once), or list/revoke links",
    options: { ...CONNECTION, list: { type: 'boolean' }, revoke: { type: 'string' } },
    args: [1, 2],
    async run({ args, flags, connection }) {
      const [tenant, contract] = args as [string, string | undefined];
      const base = `/tenants/${enc(tenant)}`;
      if (typeof flags.revoke === 'string') {
        await callApi(connection(), 'DELETE', `${base}/share-links/${enc(flags.revoke)}`);
        return `link ${flags.revoke} revoked: its page now answers 404\n`;
      }
      if (flags.list) {
        const answer = await callApi(connection(), 'GET', `${base}/share-links`);
        const links = ((answer.json as { links?: unknown[] })?.links ?? []) as Record<
          string,
          unknown
        >[];
        if (links.length === 0) return `no customer links for '${tenant}'\n`;
        return table(
          ['link', 'contract', 'created at', 'created by'],
          links.map((l) => [l.id, l.contractId, l.createdAt, l.createdBy]),
        );
      }
      if (!contract)
        throw new CliError(
          EXIT.usage,
          `give a CONTRACT, --list or --revoke LINK\n${commandHelp('share')}`,
        );
      const answer = await callApi(
        connection(),
        'POST',
        `${base}/contracts/${enc(contract)}/share-links`,
      );
      const link = answer.json as { id?: string; path?: string } | null;
      return `${connection().url}${link?.path ?? ''}\n(link ${link?.id ?? '?'}; shown once: revoke with deskplan share ${tenant} --revoke ${link?.id ?? 'LINK'})\n`;
    },
  },
};

type Row = Record<string, unknown> & {
  contract?: { id?: string };
  limit?: { id?: string };
  period?: { firstDay?: string; lastDay?: string | null };
};

const periodText = (p: Row['period']) => (p ? `${p.firstDay} – ${p.lastDay ?? '…'}` : '');
const unlimited = (v: unknown) => (v === null || v === undefined ? '∞' : String(v));

function usageTable(body: unknown): string {
  const rows = ((body as { counters?: unknown[] })?.counters ?? []) as Row[];
  if (rows.length === 0) return 'nothing counted in this period\n';
  return table(
    ['contract', 'account', 'limit', 'period', 'used', 'allowance', 'remaining', 'overage'],
    rows.map((r) => [
      r.contract?.id,
      r.account,
      r.limit?.id,
      periodText(r.period),
      r.used,
      unlimited(r.allowance),
      unlimited(r.remaining),
      r.overage,
    ]),
  );
}

function reportTable(body: unknown): string {
  const rows = ((body as { rows?: unknown[] })?.rows ?? []) as Row[];
  if (rows.length === 0) return 'nothing to bill in this range\n';
  return table(
    ['tenant', 'contract', 'limit', 'period', 'final', 'included', 'used', 'overage'],
    rows.map((r) => [
      r.tenantId,
      r.contract?.id,
      r.limit?.id,
      periodText(r.period),
      r.final ? 'yes' : 'to date',
      unlimited(r.included),
      r.used,
      r.overage,
    ]),
  );
}

/** The help of one command. */
export function commandHelp(name: string): string {
  const c = API_COMMANDS[name]!;
  const connects = 'url' in c.options;
  const own = c.help ? `${c.help}\n` : '';
  return `usage: ${c.usage}\n  ${c.summary}\n${own}${connects ? `${CONNECTION_HELP}\n` : ''}`;
}

/** Runs an admin command: its output and exit status (never throws). */
export async function runApiCommand(
  name: string,
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CommandIo = STDERR_IO,
): Promise<{ out: string; err: string; code: number }> {
  const command = API_COMMANDS[name]!;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: command.options,
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CliError(EXIT.usage, `${(error as Error).message}\n${commandHelp(name)}`);
    }
    const flags = parsed.values as Record<string, string | boolean | undefined>;
    if (flags.help) return { out: commandHelp(name), err: '', code: EXIT.ok };
    const [min, max] = command.args;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new CliError(EXIT.usage, `wrong number of arguments\n${commandHelp(name)}`);
    }
    const out = await command.run({
      args: parsed.positionals,
      flags,
      connection: () =>
        connectionFrom(
          { url: flags.url as string | undefined, token: flags.token as string | undefined },
          env,
        ),
      io,
    });
    return { out, err: '', code: EXIT.ok };
  } catch (error) {
    if (error instanceof CliError) {
      const details = error.details.map((d) => `  - ${d}`).join('\n');
      return {
        out: error.out,
        err: `deskplan ${name}: ${error.message}${details ? `\n${details}` : ''}\n`,
        code: error.code,
      };
    }
    return { out: '', err: `deskplan ${name}: ${(error as Error).message}\n`, code: EXIT.failed };
  }
}
