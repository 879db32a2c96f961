import type { Express, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An instant as the vendors render theirs: ISO 8601 in UTC, to the second. */
export const stamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A request a fake received, as it was answered. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
}

/**
 * What the vendor fakes share: one express app served on loopback at a free port, its base URL,
 * a close that also ends requests left hanging on purpose, the list of requests received, and
 * the clock the fake's timestamps come from.
 * Each fake keeps its own routes, auth and fault injection (their shapes differ per vendor).
 */
export class FakeServer<R extends RecordedRequest = RecordedRequest> {
  /** Requests received, oldest first. */
  readonly requests: R[] = [];
  private server: Server | null = null;

  constructor(
    private readonly vendor: string,
    protected readonly clock: () => Date = () => new Date(),
  ) {}

  /** The clock's time, stamped as the vendors do. */
  protected now(): string {
    return stamp(this.clock());
  }

  /**
   * The updated_at a change made now gives a record last updated at `previous`: to the second,
   * as the vendors keep it, and at least a second after `previous`, so that each change moves it.
   */
  protected touched(previous: string): string {
    const next = Math.max(
      Date.parse(previous) + 1000,
      Math.floor(this.clock().getTime() / 1000) * 1000,
    );
    return stamp(new Date(next));
  }

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error(`fake ${this.vendor} is not listening`);
    return `http://127.0.0.1:${address.port}`;
  }

  protected get listening(): boolean {
    return this.server !== null;
  }

  /** Serves `app` on 127.0.0.1 (`port` 0: any free one); answers the base URL. */
  protected async serve(app: Express, port: number): Promise<string> {
    await new Promise<void>((resolve) => {
      this.server = app.listen(port, '127.0.0.1', () => resolve());
    });
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // requests left hanging on purpose end here
    await closed;
  }

  /** Adds the request to `requests` once it is answered, with `more` (a fake's own fields). */
  protected record(
    req: Request,
    res: Response,
    more: Omit<R, keyof RecordedRequest>,
    path = req.path,
  ): void {
    res.on('finish', () =>
      this.requests.push({
        method: req.method,
        path,
        query: req.query as Record<string, unknown>,
        body: req.body,
        status: res.statusCode,
        ...more,
      } as R),
    );
  }
}
