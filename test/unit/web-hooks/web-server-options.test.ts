import { describe, expect, it } from 'vitest';
import { listenWeb, webServerOptionsFrom } from '../../../web-hooks/start-web.js';

describe('the receiver cuts off slow clients, with timeouts set by the environment', () => {
  it('waits 10 s for headers, 15 s for a whole request and 5 s on an idle connection by default', () => {
    expect(webServerOptionsFrom({})).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      keepAliveTimeoutMs: 5_000,
    });
  });

  it('reads each timeout in seconds from its environment variable', () => {
    expect(
      webServerOptionsFrom({
        WEB_HEADERS_TIMEOUT_S: '2.5',
        WEB_REQUEST_TIMEOUT_S: '30',
        WEB_KEEP_ALIVE_TIMEOUT_S: '65',
      }),
    ).toEqual({ headersTimeoutMs: 2_500, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 65_000 });
  });

  it.each(['0', '-1', 'ten', 'Infinity'])('refuses %s seconds, naming the variable', (value) => {
    expect(() => webServerOptionsFrom({ WEB_REQUEST_TIMEOUT_S: value })).toThrow(
      /WEB_REQUEST_TIMEOUT_S must be a number of seconds/,
    );
  });

  it('refuses a headers timeout longer than the request timeout', () => {
    expect(() =>
      listenWeb(() => {}, 0, {
        headersTimeoutMs: 20_000,
        requestTimeoutMs: 15_000,
        keepAliveTimeoutMs: 5_000,
      }),
    ).toThrow(/headers timeout/);
  });
});
