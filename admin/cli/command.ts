// What every admin command is made of: its options, arguments and run; and the shared --url/--token.
import type { ParseArgsConfig } from 'node:util';
import type { Connection } from './api-client.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  usage: string;
  summary: string;
  options: Options;
  /** More lines of help (the command's own options). */
  help?: string;
  /** How many positional arguments: [min, max]. */
  args: [number, number];
  run(input: {
    args: string[];
    flags: Record<string, string | boolean | undefined>;
    connection: () => Connection;
    io: CommandIo;
  }): Promise<string>;
}

/** Where a long command shows its progress while it runs (stderr by default). */
export interface CommandIo {
  progress(text: string): void;
  /** A terminal: a progress bar redrawn in place; otherwise one plain line per change. */
  tty: boolean;
  /** How often a waiting command asks again (ms). */
  pollMs: number;
}

export const STDERR_IO: CommandIo = {
  progress: (text) => void process.stderr.write(text),
  tty: process.stderr.isTTY === true,
  pollMs: 1000,
};

export const CONNECTION: Options = {
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
export const CONNECTION_HELP = `  --url URL       the deskplan service (DESKPLAN_URL, default http://127.0.0.1:$PORT)
  --token TOKEN   an admin API token (DESKPLAN_TOKEN, else data/admin.token)`;
