// The war-room page: polls /api/war-room (the exporter's own scrape) every 3 s and redraws in place.
(function () {
  'use strict';

  var REFRESH_MS = 3000;
  var NO_VALUE = '\u2014'; // an em dash, never a blank or NaN

  var integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function known(v) { return typeof v === 'number' && isFinite(v); }
  function fmtInteger(v) { return known(v) ? integer.format(v) : NO_VALUE; }
  function fmtMoney(currency, v) { return known(v) ? currency + ' ' + money.format(v) : NO_VALUE; }
  function fmtPercent(ratio, digits) {
    if (!known(ratio)) { return NO_VALUE; }
    return (digits === 2 ? twoDecimals : oneDecimal).format(ratio * 100) + ' %';
  }
  function fmtPace(v) { return known(v) ? twoDecimals.format(v) + '\u00d7' : NO_VALUE; }

  var timeFormats = {};
  function fmtTime(iso, zone, withSeconds) {
    var key = zone + (withSeconds ? 's' : 'm');
    if (!timeFormats[key]) {
      var opts = { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
      if (withSeconds) { opts.second = '2-digit'; }
      timeFormats[key] = new Intl.DateTimeFormat('en-GB', opts);
    }
    return timeFormats[key].format(new Date(iso));
  }

  function el(id) { return document.getElementById(id); }
  function setText(id, text) { el(id).textContent = text; }
  /** A catalog colour (the dashboards' thresholds, sent with the values) as a tile state. */
  function stateOf(color) {
    return { red: 'bad', orange: 'warn', yellow: 'warn', blue: 'warn', green: 'good' }[color] || 'plain';
  }

  /** One of good, warn, bad, or none; no-data when the value is missing. */
  function setState(tileId, value, state) {
    var tile = el(tileId);
    tile.classList.remove('good', 'warn', 'bad', 'no-data');
    tile.classList.add(known(value) ? state || 'plain' : 'no-data');
  }

  var ordersChart = echarts.init(el('orders-chart'), null, { renderer: 'canvas' });
  var gmvChart = echarts.init(el('gmv-chart'), null, { renderer: 'canvas' });
  window.addEventListener('resize', function () { ordersChart.resize(); gmvChart.resize(); });

  function chartOption(labels, data, type, colour, formatter) {
    return {
      animation: false,
      grid: { left: 70, right: 20, top: 20, bottom: 30 },
      tooltip: { trigger: 'axis', valueFormatter: formatter },
      xAxis: { type: 'category', data: labels, axisLabel: { color: '#7f8ba3' },
        axisLine: { lineStyle: { color: '#243047' } } },
      yAxis: { type: 'value', axisLabel: { color: '#7f8ba3' }, splitLine: { lineStyle: { color: '#243047' } } },
      series: [{ type: type, data: data, itemStyle: { color: colour }, lineStyle: { color: colour, width: 3 },
        showSymbol: data.length < 2, connectNulls: false }]
    };
  }

  function renderCharts(v) {
    // a minute is named by its start, as people say "the 12:00 minute" for 12:00 to 12:01
    var labels = v.minutes.map(function (m) {
      return fmtTime(new Date(new Date(m.window_end).getTime() - 60000).toISOString(), v.time_zone, false);
    });
    ordersChart.setOption(chartOption(labels, v.minutes.map(function (m) { return m.orders_paid; }), 'bar',
      '#4da3ff', function (x) { return fmtInteger(x); }), true);
    gmvChart.setOption(chartOption(labels, v.minutes.map(function (m) { return m.gmv; }), 'line',
      '#2ecc71', function (x) { return fmtMoney(v.currency, x); }), true);
    setText('gmv-chart-currency', v.currency + ', last 60 closed minutes');
  }

  function renderGmv(v) {
    var box = el('gmv-today');
    box.textContent = '';
    if (v.gmv_today.length === 0) {
      box.textContent = NO_VALUE;
    }
    v.gmv_today.forEach(function (m) {
      var line = document.createElement('div');
      line.className = 'money';
      line.setAttribute('data-currency', m.currency);
      line.textContent = fmtMoney(m.currency, m.amount);
      box.appendChild(line);
    });
    setState('tile-gmv', v.gmv_today.length ? 0 : null, 'plain');
    var pace = v.gmv_pace;
    if (!pace) {
      setText('gmv-pace', NO_VALUE);
      setText('gmv-pace-detail', 'no GMV target given (--gmv-target)');
      setState('tile-pace', null);
      return;
    }
    setText('gmv-pace', fmtPace(pace.pace));
    setText('gmv-pace-detail', 'target ' + fmtMoney(v.currency, pace.target) + ' \u00b7 '
      + fmtPercent(pace.day_elapsed, 1) + ' of the day elapsed');
    setState('tile-pace', pace.pace, pace.pace < 1 ? 'warn' : 'good');
  }

  function sumCounts(list) { return list.reduce(function (s, a) { return s + a.count; }, 0); }

  function renderAlerts(v) {
    var rows = {};
    function row(a) {
      var key = a.rule + '\u0000' + a.severity;
      rows[key] = rows[key] || { rule: a.rule, severity: a.severity, today: null, lastMinute: null };
      return rows[key];
    }
    v.risk_alerts_today.forEach(function (a) { row(a).today = a.count; });
    v.risk_alerts_last_minute.forEach(function (a) { row(a).lastMinute = a.count; });
    var body = el('risk-alerts').tBodies[0];
    body.textContent = '';
    var keys = Object.keys(rows).sort();
    if (keys.length === 0) {
      var empty = body.insertRow();
      empty.className = 'empty';
      var cell = empty.insertCell();
      cell.colSpan = 4;
      cell.textContent = v.has_data ? 'no risk alerts' : NO_VALUE;
    }
    keys.forEach(function (key) {
      var r = rows[key];
      var tr = body.insertRow();
      tr.setAttribute('data-rule', r.rule);
      tr.setAttribute('data-severity', r.severity);
      if (r.lastMinute > 0) { tr.className = 'firing'; }
      [r.rule, r.severity, fmtInteger(r.today), fmtInteger(r.lastMinute)].forEach(function (text) {
        tr.insertCell().textContent = text;
      });
    });
    // the job writes alert counts only when alerts fire: with other data on the screen, none means 0
    var today = v.risk_alerts_today.length ? sumCounts(v.risk_alerts_today) : (v.has_data ? 0 : null);
    var lastMinute = v.risk_alerts_last_minute.length ? sumCounts(v.risk_alerts_last_minute)
      : (v.has_data ? 0 : null);
    setText('risk-alerts-today-total', fmtInteger(today));
    setText('risk-alerts-last-minute-total', fmtInteger(lastMinute));
    setState('tile-risk', today, lastMinute > 0 ? 'bad' : today > 0 ? 'warn' : 'good');
  }

  function render(v) {
    renderGmv(v);
    setText('orders-paid-today', fmtInteger(v.orders_paid_today));
    setState('tile-orders', v.orders_paid_today, 'plain');
    setText('dau-today', fmtInteger(v.dau_today));
    setState('tile-dau', v.dau_today, 'plain');
    var conversion = v.visit_to_order_today;
    setText('visit-to-order-today', fmtPercent(conversion, 2));
    setState('tile-conversion', conversion, stateOf(v.colors.visit_to_order_today));
    var payment = v.payment_success_today;
    setText('payment-success-today', fmtPercent(payment, 1));
    setState('tile-payment', payment, stateOf(v.colors.payment_success_today));
    renderAlerts(v);
    renderCharts(v);
    var status = el('status');
    status.className = 'status ' + (v.has_data ? 'ok' : 'no-data');
    status.textContent = (v.has_data ? 'Updated ' : 'No data yet from the exporter \u00b7 checked ')
      + fmtTime(v.updated_at, v.time_zone, true) + ' (' + v.time_zone + ')';
  }

  var lastSuccess = null;
  function refresh() {
    fetch('/api/war-room', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) { throw new Error('HTTP ' + response.status); }
        return response.json();
      })
      .then(function (v) { lastSuccess = v; render(v); })
      .catch(function () {
        var status = el('status');
        status.className = 'status error';
        status.textContent = 'Exporter unreachable' + (lastSuccess
          ? ' \u00b7 showing values of ' + fmtTime(lastSuccess.updated_at, lastSuccess.time_zone, true) : '');
      })
      .then(function () { window.setTimeout(refresh, REFRESH_MS); });
  }
  refresh();
}());
