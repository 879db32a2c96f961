import express, { type Request, type Response } from 'express';
import { WebhookError } from '../connectors/core/errors.js';

/** Reads the body as raw bytes (signatures are over the exact bytes), at most `limit` bytes. */
export function readRawBody(req: Request, res: Response, limit: number): Promise<Buffer> {
  const parser = express.raw({ type: () => true, limit });
  return new Promise((resolve, reject) => {
    parser(req, res, (error?: unknown) => {
      if (!error) return resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      const type = (error as { type?: string }).type;
      reject(
        type === 'entity.too.large'
          ? new WebhookError(413, `body larger than ${limit} bytes`)
          : new WebhookError(400, `could not read the body: ${(error as Error).message}`),
      );
    });
  });
}
