import { Eta } from 'eta';
import { CHECKLIST_TITLES, type ChecklistCode } from '../arrivals/checklist.js';
import type { Locale } from '../users/user.entity.js';
import type { NotificationKind } from './notification.entity.js';
import { LAYOUT_TEXTS, NOTIFICATION_TEXTS } from './notification.texts.js';

/** The names and dates a notification's texts show, as kept on its row. */
export type NotificationParams = Record<string, string | number | null>;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The two mail layouts, as Eta templates kept in the source (so the build carries them
 * with the code). The HTML one escapes every interpolation (`<%= %>`, autoEscape), the
 * texts of the table included: they are plain text, and the names, titles and comments
 * users typed go through them.
 */
const HTML_LAYOUT = `<!doctype html>
<html lang="<%= it.locale %>">
<head><meta charset="utf-8"><title><%= it.subject %></title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 40em;">
<p><%= it.greeting %></p>
<% it.paragraphs.forEach(function (paragraph) { %>
<p><%= paragraph %></p>
<% }) %>
<p><a href="<%= it.link %>"><%= it.open %></a></p>
<hr>
<p style="font-size: 0.85em; color: #555;"><%= it.footer %></p>
</body>
</html>
`;

const TEXT_LAYOUT = `<%= it.greeting %>

<% it.paragraphs.forEach(function (paragraph) { %>
<%= paragraph %>

<% }) %>
<%= it.open %>: <%= it.link %>

-- 
<%= it.footer %>
`;

const html = new Eta({ autoEscape: true, autoTrim: [false, 'nl'], useWith: false });
const text = new Eta({ autoEscape: false, autoTrim: [false, 'nl'], useWith: false });

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function format(locale: Locale, options: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  let found = dateFormats.get(`${locale}|${key}`);
  if (!found) dateFormats.set(`${locale}|${key}`, (found = new Intl.DateTimeFormat([locale], options)));
  return found;
}

/** A parameter as the reader's language writes it: dates (`…On`, YYYY-MM-DD) and the arrival instant in the place's time zone. */
function shown(name: string, value: string | number, params: NotificationParams, locale: Locale): string {
  if (typeof value === 'string' && /On$/.test(name) && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return format(locale, { dateStyle: 'long', timeZone: 'UTC' }, 'date').format(new Date(`${value}T00:00:00Z`));
  }
  if (typeof value === 'string' && name === 'arrivalAt' && !Number.isNaN(Date.parse(value))) {
    const timeZone = typeof params.timeZone === 'string' ? params.timeZone : 'UTC';
    try {
      return format(locale, { dateStyle: 'long', timeStyle: 'short', timeZone, timeZoneName: 'short' }, `instant|${timeZone}`).format(new Date(value));
    } catch {
      return value;
    }
  }
  return String(value);
}

/**
 * A text of the table with its parameters: a line starting with `?` is left out when a
 * parameter it names is missing or empty (an optional comment or reason).
 */
export function fill(template: string, params: NotificationParams, locale: Locale): string {
  return template
    .split('\n')
    .flatMap((line) => {
      const optional = line.startsWith('?');
      const body = optional ? line.slice(1) : line;
      const names = [...body.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (optional && names.some((name) => params[name] === undefined || params[name] === null || params[name] === '')) return [];
      return [body.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined || params[name] === null ? '' : shown(name, params[name], params, locale)))];
    })
    .join('\n');
}

/** The in-app title and text of a notification, in the reader's language. */
export function notificationTexts(kind: NotificationKind, params: NotificationParams, locale: Locale): { title: string; text: string } {
  const texts = NOTIFICATION_TEXTS[kind];
  // A checklist item's title is the product's text for its code, in the reader's language.
  const code = params.itemCode;
  if (typeof code === 'string' && Object.hasOwn(CHECKLIST_TITLES, code)) params = { ...params, itemTitle: CHECKLIST_TITLES[code as ChecklistCode][locale] };
  return { title: fill(texts.subject[locale], params, locale), text: fill(texts.body[locale], params, locale) };
}

/** The mail of a notification for one recipient: subject, plain text and HTML in the recipient's language. */
export function renderMail(kind: NotificationKind, params: NotificationParams, locale: Locale, recipientName: string, link: string): RenderedMail {
  const { title, text: body } = notificationTexts(kind, params, locale);
  const data = {
    locale,
    subject: title,
    greeting: fill(LAYOUT_TEXTS.greeting[locale], { name: recipientName }, locale),
    paragraphs: body.split('\n').filter((line) => line.trim() !== ''),
    open: LAYOUT_TEXTS.open[locale],
    link,
    footer: LAYOUT_TEXTS.footer[locale],
  };
  // A subject is one line: a newline typed into a title must not start a mail header.
  return { subject: title.replace(/[\r\n]+/g, ' '), text: text.renderString(TEXT_LAYOUT, data), html: html.renderString(HTML_LAYOUT, data) };
}
