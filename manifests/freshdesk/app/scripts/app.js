// deskplan's Freshdesk ticket sidebar: the plan, usage, SLA dues and overage state deskplan keeps
// for the open ticket. The API token is a secure installation parameter: the request goes
// through the ticketSummary template (config/requests.json), which the Freshworks platform fills
// in server-side, so the token never reaches this page.
// https://developers.freshworks.com/docs/app-sdk/v3.0/support_ticket/advanced-interfaces/request-method/
/* global app, document */
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

  var root = document.getElementById('app');
  var t = TEXT.en;

  function say(key, values) {
    var text = t[key] || TEXT.en[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split('{' + name + '}').join(String(values[name]));
    });
    return text;
  }

  /** An element with attributes and children (text nodes: nothing is parsed as HTML). */
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
    if (d > 0) return d + 'd ' + h + 'h';
    if (h > 0) return h + 'h ' + (m % 60) + 'm';
    return (m % 60) + 'm';
  }

  function show(children) {
    root.textContent = '';
    children.forEach(function (child) {
      if (child) root.appendChild(child);
    });
  }

  function card(title, children) {
    return el('section', { class: 'card' }, [el('h2', {}, [title])].concat(children));
  }

  function usageBlock(row) {
    var unit = say(row.limit.unit);
    var percent =
      row.allowance && row.allowance > 0 ? Math.min(100, (row.used / row.allowance) * 100) : 0;
    var tone =
      row.overage > 0 ? ' over' : row.remaining !== null && row.remaining <= 0 ? ' exhausted' : '';
    return el('div', { class: 'usage', 'data-testid': 'usage' }, [
      el('div', { class: 'usage-line' }, [
        row.allowance === null
          ? say('usedUnlimited', { used: row.used, unit: unit })
          : say('used', { used: row.used, allowance: row.allowance, unit: unit }),
      ]),
      el(
        'div',
        {
          class: 'bar' + tone,
          role: 'progressbar',
          'aria-valuemin': '0',
          'aria-valuemax': String(row.allowance === null ? 0 : row.allowance),
          'aria-valuenow': String(row.used),
          'data-testid': 'usage-bar',
        },
        [el('span', { style: 'width: ' + percent.toFixed(1) + '%' })],
      ),
      el('div', { class: 'muted small' }, [
        row.remaining === null ? null : say('remaining', { n: row.remaining }) + ' · ',
        row.period.firstDay + ' – ' + (row.period.lastDay || '…'),
      ]),
    ]);
  }

  function dueItem(due) {
    var left = say(due.breached ? 'overdue' : 'in', { t: duration(due.minutesLeft) });
    return el(
      'li',
      {
        class: 'due' + (due.breached ? ' breached' : ''),
        'data-testid': 'due-' + due.metric,
        title: due.due,
      },
      [el('span', {}, [say(due.metric)]), el('span', { class: 'pill' }, [left])],
    );
  }

  function render(summary, deskplanHost) {
    var state = summary.overage.state;
    show([
      el('header', { class: 'head' }, [
        el('div', {}, [
          el('div', { class: 'label' }, [say('plan')]),
          el('div', { class: 'plan', 'data-testid': 'plan' }, [
            summary.plan ? summary.plan.name : '—',
          ]),
          summary.contract
            ? el('div', { class: 'muted small', 'data-testid': 'contract' }, [
                say('contract') + ': ' + summary.contract.name,
              ])
            : el('div', { class: 'muted small', 'data-testid': 'contract' }, [say('noContract')]),
        ]),
        summary.usage.length > 0 || summary.counted
          ? el('span', { class: 'badge ' + state, 'data-testid': 'overage' }, [
              say(state, { n: summary.overage.units }),
            ])
          : null,
      ]),
      summary.usage.length > 0 ? card(say('usage'), summary.usage.map(usageBlock)) : null,
      card(say('dues'), [
        summary.dues.length > 0
          ? el('ul', { class: 'dues' }, summary.dues.map(dueItem))
          : el('p', { class: 'muted', 'data-testid': 'no-dues' }, [say('noDues')]),
      ]),
      el(
        'a',
        {
          class: 'dashboard',
          href: 'https://' + deskplanHost + summary.dashboardPath,
          target: '_blank',
          rel: 'noopener noreferrer',
          'data-testid': 'dashboard',
        },
        [say('dashboard') + ' ↗'],
      ),
    ]);
  }

  function fail(error) {
    var status = error && error.status;
    show([
      el(
        'p',
        { class: status === 404 ? 'muted message' : 'error message', 'data-testid': 'message' },
        [status === 404 ? say('unknown') : say('failed', { status: status || '?' })],
      ),
    ]);
  }

  function languageOf(data) {
    var user = data && data.loggedInUser;
    var language = (user && user.contact && user.contact.language) || 'en';
    return String(language).toLowerCase().slice(0, 2);
  }

  function load(client) {
    return Promise.all([
      client.data.get('ticket'),
      client.data.get('loggedInUser').catch(function () {
        return {};
      }),
      client.iparams.get('deskplan_host'),
    ])
      .then(function (answers) {
        var ticket = answers[0].ticket;
        var language = languageOf(answers[1]);
        t = TEXT[language] || TEXT.en;
        document.documentElement.lang = TEXT[language] ? language : 'en';
        show([el('p', { class: 'muted', 'data-testid': 'loading' }, [say('loading')])]);
        return client.request
          .invokeTemplate('ticketSummary', { context: { ticket_id: String(ticket.id) } })
          .then(function (answer) {
            render(JSON.parse(answer.response), answers[2].deskplan_host);
          });
      })
      .catch(fail);
  }

  app.initialized().then(function (client) {
    client.events.on('app.activated', function () {
      load(client);
    });
  }, fail);
})();
