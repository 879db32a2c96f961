/** What a script can tell from `deskplan`'s exit status. */
export const EXIT = {
  ok: 0,
  /** The service answered with an error (not found, conflict, a server error). */
  failed: 1,
  /** Wrong usage: an unknown command or option, a missing argument. */
  usage: 2,
  /** The service could not be reached (not running, wrong --url). */
  unreachable: 3,
  /** The tenant config is not valid (validate, apply): every problem is printed. */
  invalid: 4,
  /** No token, an unknown one, or one for another tenant. */
  unauthorized: 5,
  /** doctor: the service answered, and at least one check of the helpdesk's set-up failed. */
  checksFailed: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure with the exit status it stands for and a message for stderr. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
    readonly details: string[] = [],
    /** What still goes to stdout (doctor's report when a check failed). */
    readonly out = '',
  ) {
    super(message);
  }
}
