import { describe, expect, it } from 'vitest';
import { html, trusted } from '../../../admin/pages/html.js';
import { memberLabel } from '../../../admin/pages/page-format.js';

describe('page markup', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<img src=x onerror="alert(1)">'&\``;
    const out = html`<a title="${name}">${name}</a>${[name, null, false, undefined]}`.text;
    expect(out).not.toContain('<img');
    expect(out).toBe(
      '<a title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&#96;">' +
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&#96;</a>' +
        '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&#96;',
    );
  });

  it('keeps nested markup and trusted markup as they are', () => {
    expect(html`<p>${html`<b>${'<i>'}</b>`}${trusted('<br>')}</p>`.text).toBe(
      '<p><b>&lt;i&gt;</b><br></p>',
    );
  });

  it('names counted members as a person reads them', () => {
    expect(memberLabel('ticket-123')).toEqual({ kind: 'ticket', id: '123' });
    expect(memberLabel('ticket-123-reopen-2')).toEqual({ kind: 'ticket', id: '123 (2)' });
    expect(memberLabel('reply-9')).toEqual({ kind: 'reply', id: '9' });
  });
});
