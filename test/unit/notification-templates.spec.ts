import { fill, notificationTexts, renderMail } from '../../src/notifications/notification.templates.js';

describe('notification templates', () => {
  it('leaves out an optional line whose parameter is missing, keeps it when given', () => {
    expect(fill('Rejected.\n?Reason: {reason}', { reason: null }, 'en')).toBe('Rejected.');
    expect(fill('Rejected.\n?Reason: {reason}', { reason: 'late' }, 'en')).toBe('Rejected.\nReason: late');
  });

  it('writes dates the way the reader’s language does', () => {
    expect(fill('{dueOn}', { dueOn: '2027-03-05' }, 'en')).toBe('March 5, 2027');
    expect(fill('{dueOn}', { dueOn: '2027-03-05' }, 'fr')).toBe('5 mars 2027');
  });

  it('a checklist item is named by its code in the reader’s language', () => {
    const en = notificationTexts('checklist.overdue', { itemCode: 'orientation', studentName: 'Ana', dueOn: '2027-03-05' }, 'en');
    const ru = notificationTexts('checklist.overdue', { itemCode: 'orientation', studentName: 'Ana', dueOn: '2027-03-05' }, 'ru');
    expect(en.title).not.toBe(ru.title);
    expect(en.title).not.toContain('{itemTitle}');
  });

  it('escapes what users typed in the HTML, never in the plain text; the subject stays on one line', () => {
    const mail = renderMail('application.submitted', { studentName: '<script>alert(1)</script>\nBcc: x@y', programTitle: 'A & B "quoted"' }, 'en', '<b>Bob</b>', 'https://x.example/applications/1?a=1&b=2');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(mail.html).toContain('A &amp; B &quot;quoted&quot;');
    expect(mail.html).toContain('href="https://x.example/applications/1?a=1&amp;b=2"');
    expect(mail.html).not.toMatch(/<script|<b>/);
    expect(mail.text).toContain('<script>alert(1)</script>');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
