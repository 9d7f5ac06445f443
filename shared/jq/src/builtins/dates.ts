import { defineFn } from '../registry';
import { fail } from '../runtime';
import type { Json } from '../value';

/**
 * jq's "broken down time": [year, month (0-11), day, hours, minutes, seconds (may be fractional),
 * weekday (0 = Sunday), day of year (0-365)]. Everything is UTC: `localtime` and `strflocaltime`
 * use UTC too, because a workflow engine must not depend on the host's time zone.
 */
type Broken = [number, number, number, number, number, number, number, number];

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function gmtime(t: Json): Broken {
  if (typeof t !== 'number') return fail('gmtime() requires a number');
  // jq converts to time_t by truncation, then adds the fraction taken with floor (so -0.5 is
  // 00:00:00.5 of the epoch's second): the same arithmetic keeps the same answers.
  const whole = Math.trunc(t);
  const d = new Date(whole * 1000);
  if (Number.isNaN(d.getTime())) return fail('gmtime() requires a valid time');
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const yday = Math.floor((d.getTime() - start) / 86400000);
  return [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds() + (t - Math.floor(t)),
    d.getUTCDay(),
    yday,
  ];
}

function broken(v: Json, who: string): Broken {
  if (typeof v === 'number') return gmtime(v);
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) return fail(`${who} requires parsed datetime inputs`);
  // Missing trailing fields are zero, as jq 1.8 reads them.
  const n = v as number[];
  const t: number[] = [0, 1, 2, 3, 4, 5].map((i) => n[i] ?? 0);
  const day = new Date(Date.UTC(t[0] as number, t[1] as number, t[2]));
  const yday = Math.floor((day.getTime() - Date.UTC(t[0] as number, 0, 1)) / 86400000);
  return [...t, n[6] ?? day.getUTCDay(), n[7] ?? yday] as Broken;
}

function mktime(v: Json): Json {
  if (!Array.isArray(v)) return fail('mktime requires array inputs');
  if (v.some((x) => typeof x !== 'number')) return fail('mktime requires parsed datetime inputs');
  const [y = 1970, mo = 0, d = 1, h = 0, mi = 0, s = 0] = v as number[];
  return Math.floor(Date.UTC(y, mo, d, h, mi, Math.floor(s)) / 1000);
}

const pad = (n: number, w = 2, c = '0'): string => String(Math.trunc(n)).padStart(w, c);

function strftime(v: Json, fmt: Json, who = 'strftime/1'): Json {
  if (typeof fmt !== 'string') return fail(`${who} requires a string format`);
  const t = broken(v, who);
  const [y, mo, d, h, mi, s, wd, yd] = t;
  const epoch = mktime(t) as number;
  const map: Record<string, () => string> = {
    Y: () => String(y),
    C: () => pad(Math.floor(y / 100)),
    y: () => pad(y % 100),
    m: () => pad(mo + 1),
    d: () => pad(d),
    e: () => pad(d, 2, ' '),
    H: () => pad(h),
    I: () => pad(h % 12 === 0 ? 12 : h % 12),
    M: () => pad(mi),
    S: () => pad(Math.floor(s)),
    j: () => pad(yd + 1, 3),
    Z: () => 'UTC',
    z: () => '+0000',
    a: () => (DAYS[wd] ?? '').slice(0, 3),
    A: () => DAYS[wd] ?? '',
    b: () => (MONTHS[mo] ?? '').slice(0, 3),
    h: () => (MONTHS[mo] ?? '').slice(0, 3),
    B: () => MONTHS[mo] ?? '',
    p: () => (h < 12 ? 'AM' : 'PM'),
    u: () => String(wd === 0 ? 7 : wd),
    w: () => String(wd),
    s: () => String(epoch),
    T: () => `${pad(h)}:${pad(mi)}:${pad(Math.floor(s))}`,
    D: () => `${pad(mo + 1)}/${pad(d)}/${pad(y % 100)}`,
    F: () => `${y}-${pad(mo + 1)}-${pad(d)}`,
    R: () => `${pad(h)}:${pad(mi)}`,
    c: () =>
      `${(DAYS[wd] ?? '').slice(0, 3)} ${(MONTHS[mo] ?? '').slice(0, 3)} ${pad(d, 2, ' ')} ${pad(h)}:${pad(mi)}:${pad(Math.floor(s))} ${y}`,
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  return fmt.replace(/%([A-Za-z%])/g, (all, c: string) => map[c]?.() ?? all);
}

/** Parses per a strptime format; returns null when the text does not match. */
function parseDate(text: string, fmt: string): Broken | null {
  let y = 1900;
  let mo = 0;
  let d = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let pm: boolean | null = null;
  // As in glibc, AM/PM only adjusts a 12-hour clock (%I); with %H it is read and ignored.
  let twelveHour = false;
  let epoch: number | null = null;
  let i = 0;
  const num = (max: number): number | null => {
    const m = new RegExp(`^[+-]?\\d{1,${max}}`).exec(text.slice(i));
    if (m === null) return null;
    i += m[0].length;
    return Number(m[0]);
  };
  const name = (list: string[]): number | null => {
    const rest = text.slice(i).toLowerCase();
    for (let k = 0; k < list.length; k++) {
      const full = (list[k] as string).toLowerCase();
      if (rest.startsWith(full)) {
        i += full.length;
        return k;
      }
      if (rest.startsWith(full.slice(0, 3))) {
        i += 3;
        return k;
      }
    }
    return null;
  };
  for (let f = 0; f < fmt.length; f++) {
    const c = fmt[f] as string;
    if (c !== '%') {
      if (/\s/.test(c)) {
        while (i < text.length && /\s/.test(text[i] as string)) i++;
      } else if (text[i] === c) i++;
      else return null;
      continue;
    }
    const spec = fmt[++f];
    let v: number | null = 0;
    switch (spec) {
      case 'Y':
        v = y = num(4) ?? NaN;
        break;
      case 'm':
        v = num(2);
        mo = (v ?? 1) - 1;
        break;
      case 'd':
      case 'e':
        while (text[i] === ' ') i++;
        v = d = num(2) ?? NaN;
        break;
      case 'H':
        v = h = num(2) ?? NaN;
        break;
      case 'I':
        v = h = num(2) ?? NaN;
        twelveHour = true;
        break;
      case 'M':
        v = mi = num(2) ?? NaN;
        break;
      case 'S':
        v = s = num(2) ?? NaN;
        break;
      case 'y':
        v = num(2);
        y = v === null ? NaN : v < 69 ? 2000 + v : 1900 + v;
        break;
      case 'j':
        v = num(3);
        break;
      case 'a':
      case 'A':
        v = name(DAYS);
        break;
      case 'b':
      case 'B':
      case 'h':
        v = name(MONTHS);
        mo = v ?? 0;
        break;
      case 'p': {
        const ap = text.slice(i, i + 2).toUpperCase();
        if (ap !== 'AM' && ap !== 'PM') return null;
        pm = ap === 'PM';
        i += 2;
        break;
      }
      case 'Z':
        while (i < text.length && /[A-Za-z]/.test(text[i] as string)) i++;
        break;
      case 'z': {
        const m = /^(?:Z|[+-]\d{2}:?\d{2})/.exec(text.slice(i));
        if (m === null) return null;
        i += m[0].length;
        break;
      }
      case 's':
        v = epoch = num(20);
        break;
      case 'T': {
        const r = parseDate(text.slice(i), '%H:%M:%S');
        if (r === null) return null;
        [, , , h, mi, s] = r;
        i += /^\d{1,2}:\d{1,2}:\d{1,2}/.exec(text.slice(i))?.[0].length ?? 0;
        break;
      }
      case '%':
        if (text[i] !== '%') return null;
        i++;
        break;
      default:
        return null;
    }
    if (v === null || Number.isNaN(v)) return null;
  }
  if (i !== text.length) return null;
  if (pm !== null && twelveHour) h = (h % 12) + (pm ? 12 : 0);
  if (epoch !== null) return gmtime(epoch);
  const t = Date.UTC(y, mo, d, h, mi, s);
  const date = new Date(t);
  const yday = Math.floor((t - Date.UTC(y, 0, 1)) / 86400000);
  return [y, mo, d, h, mi, s, date.getUTCDay(), yday];
}

function strptime(v: Json, fmt: Json): Json {
  if (typeof v !== 'string') return fail(`strptime/1 requires string inputs and arguments`);
  if (typeof fmt !== 'string') return fail('strptime/1 requires string inputs and arguments');
  const r = parseDate(v, fmt);
  if (r === null) return fail(`date "${v}" does not match format "${fmt}"`);
  return r;
}

defineFn('gmtime', 0, gmtime);
defineFn('localtime', 0, gmtime);
defineFn('mktime', 0, mktime);
defineFn('timegm', 0, mktime);
defineFn('strftime', 1, (v, f) => strftime(v, f));
defineFn('strflocaltime', 1, (v, f) => strftime(v, f, 'strflocaltime/1'));
defineFn('strptime', 1, strptime);
