/** An answer other than success: its status, what was wrong, and details (e.g. each problem). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, `${what} not found`);

/** An error class of the library that already says its HTTP status (BackfillError, OnboardingError). */
type StatusError = abstract new (...args: never[]) => Error & { status: number };

/** Runs `work`, answering an error of one of `kinds` with its own status and message. */
export async function answering<T>(kinds: readonly StatusError[], work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    const known = kinds.some((kind) => error instanceof kind);
    if (known) {
      const { status, message } = error as Error & { status: number };
      throw new ApiError(status, message);
    }
    throw error;
  }
}
