// deskplan's ticket sidebar: the plan, usage, SLA dues and overage state deskplan keeps for the
// open ticket. The API token is a secure setting: requests go through Zendesk's proxy, which
// replaces {{setting.api_token}}, so the token never reaches this page.
/* global ZAFClient, document */
(function () {
  'use strict';

  var TEXT = {
    en: {
      loading: 'Loading…',
      plan: 'Plan',
      contract: 'Contract',
      usage: 'Usage this period',
      used: '{used} of {allowance} {unit} used',
      usedUnlimited: '{used} {unit} used (unlimited)',
      remaining: '{n} remaining',
      period: '{from} – {to}',
      tickets: 'tickets',
      responses: 'responses',
      dues: 'SLA dues',
      firstResponse: 'First response',
      nextResponse: 'Next response',
      resolution: 'Resolution',
      noDues: 'No open SLA target',
      in: 'in {t}',
      overdue: 'overdue by {t}',
      overage: 'Quota',
      within: 'Within allowance',
      exhausted: 'Allowance used up',
      over: 'In overage ({n} over)',
      noContract: 'No contract applies to this ticket',
      dashboard: 'Open in deskplan',
      unknown: 'deskplan has not handled this ticket yet.',
      failed: 'Could not reach deskplan ({status}).',
    },
    ja: {
      loading: '読み込み中…',
      plan: 'プラン',
      contract: '契約',
      usage: '今期の利用状況',
      used: '{allowance} {unit}中 {used} 使用',
      usedUnlimited: '{used} {unit}使用(無制限)',
      remaining: '残り {n}',
      period: '{from} 〜 {to}',
      tickets: '件',
      responses: '回答',
      dues: 'SLA 期限',
      firstResponse: '初回応答',
      nextResponse: '次回応答',
      resolution: '解決',
      noDues: '未達の SLA 目標はありません',
      in: 'あと {t}',
      overdue: '{t} 超過',
      overage: '利用枠',
      within: '枠内',
      exhausted: '枠を使い切りました',
      over: '超過中({n} 超過)',
      noContract: 'このチケットに適用される契約はありません',
      dashboard: 'deskplan で開く',
      unknown: 'deskplan はこのチケットをまだ処理していません。',
      failed: 'deskplan に接続できませんでした({status})。',
    },
  };

  var client = ZAFClient.init();
  var app = document.getElementById('app');
  var t = TEXT.en;

  function say(key, values) {
    var text = t[key] || TEXT.en[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split('{' + name + '}').join(String(values[name]));
    });
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function duration(minutes) {
    var m = Math.abs(minutes);
    var d = Math.floor(m / 1440);
    var h = Math.floor((m % 1440) / 60);
    var rest = m % 60;
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + rest + 'm';
    return rest + 'm';
  }

  function resize() {
    client.invoke('resize', { width: '100%', height: document.body.scrollHeight + 'px' });
  }

  function show(children) {
    app.textContent = '';
    children.forEach(function (child) {
      if (child) app.appendChild(child);
    });
    resize();
  }

  function usageBlock(row) {
    var unit = say(row.limit.unit);
    var percent =
      row.allowance && row.allowance > 0 ? Math.min(100, (row.used / row.allowance) * 100) : 0;
    var barClass = 'bar';
    if (row.overage > 0) barClass += ' over';
    else if (row.remaining !== null && row.remaining <= 0) barClass += ' exhausted';
    return el('div', { class: 'usage', 'data-testid': 'usage' }, [
      el('div', {}, [
        row.allowance === null
          ? say('usedUnlimited', { used: row.used, unit: unit })
          : say('used', { used: row.used, allowance: row.allowance, unit: unit }),
      ]),
      el(
        'div',
        {
          class: barClass,
          role: 'progressbar',
          'aria-valuemin': '0',
          'aria-valuemax': String(row.allowance === null ? 0 : row.allowance),
          'aria-valuenow': String(row.used),
          'data-testid': 'usage-bar',
        },
        [el('span', { style: 'width: ' + percent.toFixed(1) + '%' })],
      ),
      el('div', { class: 'muted' }, [
        row.remaining === null ? null : say('remaining', { n: row.remaining }) + ' · ',
        say('period', { from: row.period.firstDay, to: row.period.lastDay || '…' }),
      ]),
    ]);
  }

  function dueItem(due) {
    var left = due.breached
      ? say('overdue', { t: duration(due.minutesLeft) })
      : say('in', { t: duration(due.minutesLeft) });
    return el(
      'li',
      {
        class: 'due' + (due.breached ? ' breached' : ''),
        'data-testid': 'due-' + due.metric,
        title: due.due,
      },
      [el('span', {}, [say(due.metric)]), el('span', { class: 'left' }, [left])],
    );
  }

  function render(summary, deskplanUrl) {
    var dashboard = deskplanUrl.replace(/\/+$/, '') + summary.dashboardPath;
    var state = summary.overage.state;
    show([
      summary.plan
        ? el('div', {}, [
            el('h2', {}, [say('plan')]),
            el('div', { class: 'plan', 'data-testid': 'plan' }, [summary.plan.name]),
          ])
        : null,
      summary.contract
        ? el('div', {}, [
            el('h2', {}, [say('contract')]),
            el('div', { 'data-testid': 'contract' }, [summary.contract.name]),
          ])
        : el('p', { class: 'muted', 'data-testid': 'contract' }, [say('noContract')]),
      summary.usage.length > 0
        ? el('section', {}, [el('h2', {}, [say('usage')])].concat(summary.usage.map(usageBlock)))
        : null,
      summary.usage.length > 0 || summary.counted
        ? el('section', {}, [
            el('h2', {}, [say('overage')]),
            el('span', { class: 'badge ' + state, 'data-testid': 'overage' }, [
              say(state, { n: summary.overage.units }),
            ]),
          ])
        : null,
      el('section', {}, [
        el('h2', {}, [say('dues')]),
        summary.dues.length > 0
          ? el('ul', { class: 'dues' }, summary.dues.map(dueItem))
          : el('p', { class: 'muted', 'data-testid': 'no-dues' }, [say('noDues')]),
      ]),
      el(
        'a',
        {
          class: 'dashboard',
          href: dashboard,
          target: '_blank',
          rel: 'noopener noreferrer',
          'data-testid': 'dashboard',
        },
        [say('dashboard')],
      ),
    ]);
  }

  function fail(error) {
    var status = error && error.status;
    show([
      el('p', { class: status === 404 ? 'muted' : 'error', 'data-testid': 'message' }, [
        status === 404 ? say('unknown') : say('failed', { status: status || '?' }),
      ]),
    ]);
  }

  Promise.all([client.get('ticket'), client.get('currentUser.locale'), client.metadata()])
    .then(function (answers) {
      var ticket = answers[0].ticket;
      var locale = String(answers[1]['currentUser.locale'] || 'en').toLowerCase();
      t = TEXT[locale.slice(0, 2)] || TEXT.en;
      document.documentElement.lang = TEXT[locale.slice(0, 2)] ? locale.slice(0, 2) : 'en';
      var settings = answers[2].settings;
      show([el('p', { class: 'muted', 'data-testid': 'loading' }, [say('loading')])]);
      return client
        .request({
          url:
            '{{setting.deskplan_url}}/api/tenants/' +
            encodeURIComponent(settings.tenant_id) +
            '/tickets/' +
            encodeURIComponent(String(ticket.id)) +
            '/summary',
          type: 'GET',
          headers: { Authorization: 'Bearer {{setting.api_token}}' },
          secure: true,
          cors: false,
          dataType: 'json',
        })
        .then(function (summary) {
          render(summary, settings.deskplan_url);
        });
    })
    .catch(fail);
})();
