/**
 * Application documents over HTTP: multipart uploads typed by their bytes (never by the name
 * or the part's header), the limits, storage under DATA_DIR with server-chosen names,
 * downloads as attachments that are recorded, deletion while a draft, the required
 * documents of a submission, and who may see and do what, checked from the attacker's side.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../harness/app.js';
import type { Session } from '../harness/factories.js';
import {
  JPEG,
  PDF,
  PNG,
  advance,
  apply,
  download,
  exchangeProgram,
  expectProblem,
  formOf,
  newExchange,
  newSendingStudent,
  pdfWith,
  rawMultipart,
  send,
  sha256,
  upload,
  uploadParts,
  type Exchange,
  type Stage,
} from '../harness/uploads.js';

const MiB = 1024 * 1024;

describe('documents', () => {
  let t: TestApp;
  let x: Exchange;
  /** A published programme without required documents or learning agreement. */
  let program: { id: string };
  let student: Session;
  let draft: { id: string };

  const folder = () => join(t.settings.dataDir, 'documents');
  const storedFiles = () => (existsSync(folder()) ? readdirSync(folder()) : []);
  const rowsOf = async (applicationId: string) =>
    (await t.dataSource.query('SELECT id, storage_key, file_name FROM documents WHERE application_id = $1 ORDER BY created_at', [applicationId])) as { id: string; storage_key: string; file_name: string }[];
  const downloadsOf = async (documentId: string) =>
    (await t.dataSource.query('SELECT user_id, user_role, downloaded_at FROM document_downloads WHERE document_id = $1 ORDER BY downloaded_at', [documentId])) as {
      user_id: string;
      user_role: string;
      downloaded_at: Date;
    }[];

  /** A fresh student with an application at `stage` to a fresh programme (each student may hold five open ones). */
  async function applicationAt(stage: Stage, uploads: { type: string; fileName?: string; content?: Buffer }[] = []) {
    const owner = await newSendingStudent(t, x);
    const application = await apply(t, owner, program.id);
    const documents: Record<string, { id: string }> = {};
    for (const u of uploads) {
      const response = await upload(t, owner.token, application.id, u.type, u.fileName ?? `${u.type}.pdf`, u.content ?? pdfWith(u.type));
      expect(response.status).toBe(201);
      documents[u.type] = response.body;
    }
    await advance(t, x, owner, application.id, stage);
    return { owner, application, documents };
  }

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '10000' });
    x = await newExchange(t);
    program = await exchangeProgram(t, x, { seats: 50 });
    student = await newSendingStudent(t, x);
    draft = await apply(t, student, program.id);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('upload', () => {
    it.each([
      ['a PDF', 'transcript', 'transcript.pdf', PDF, 'application/pdf'],
      ['a PNG', 'passport', 'passport.png', PNG, 'image/png'],
      ['a JPEG', 'insurance', 'insurance.jpg', JPEG, 'image/jpeg'],
      ['a JPEG named .jpeg in capitals', 'other', 'SCAN.JPEG', JPEG, 'image/jpeg'],
    ])('accepts %s: 201 with the sniffed type, size and sha256; stored under a server-chosen name, mode 0600', async (_what, type, fileName, content, mediaType) => {
      const response = await upload(t, student.token, draft.id, type, fileName, content);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        applicationId: draft.id,
        type,
        fileName,
        mediaType,
        size: content.length,
        sha256: sha256(content),
        uploadedBy: student.user.id,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });

      const [row] = (await t.dataSource.query('SELECT storage_key FROM documents WHERE id = $1', [response.body.id])) as { storage_key: string }[];
      expect(row.storage_key).toMatch(/^[0-9a-f-]{36}$/);
      const path = join(folder(), row.storage_key);
      expect(readFileSync(path).equals(content)).toBe(true);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(storedFiles()).not.toContain(fileName);
      expect(storedFiles().some((name) => name.endsWith('.part'))).toBe(false);
    });

    it('keeps only the last part of the given name: no path ever reaches the disk or the answer', async () => {
      const response = await upload(t, student.token, draft.id, 'other', '../../etc/passwd.pdf', PDF);
      expect(response.status).toBe(201);
      expect(response.body.fileName).toBe('passwd.pdf');
      expect(existsSync(join(t.settings.dataDir, 'etc'))).toBe(false);
      expect(storedFiles()).not.toContain('passwd.pdf');

      // A non-ASCII name survives as the student wrote it.
      const accented = await upload(t, student.token, draft.id, 'other', 'relevé de notes été.pdf', PDF);
      expect(accented.status).toBe(201);
      expect(accented.body.fileName).toBe('relevé de notes été.pdf');
    });

    it('never trusts the part header: a PDF sent as image/png and named .pdf is a PDF', async () => {
      const response = await upload(t, student.token, draft.id, 'other', 'scan.pdf', PDF, 'image/png');
      expect(response.status).toBe(201);
      expect(response.body.mediaType).toBe('application/pdf');
      // A name without extension claims nothing: the bytes decide.
      const bare = await upload(t, student.token, draft.id, 'other', 'scan', PNG, 'application/pdf');
      expect(bare.status).toBe(201);
      expect(bare.body.mediaType).toBe('image/png');
    });

    it('accepts the parts in either order', async () => {
      const response = await uploadParts(t, student.token, draft.id, [
        { name: 'file', content: JPEG, fileName: 'photo.jpg', contentType: 'image/jpeg' },
        { name: 'type', value: 'passport' },
      ]);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ type: 'passport', mediaType: 'image/jpeg', fileName: 'photo.jpg' });
    });

    it.each([
      ['a text file named x.pdf', 'x.pdf', Buffer.from('just some text, not a PDF\n'), 'application/pdf'],
      ['a PNG named photo.pdf', 'photo.pdf', PNG, 'application/pdf'],
      ['a PDF named scan.png', 'scan.png', PDF, 'image/png'],
      ['a JPEG named photo.png', 'photo.png', JPEG, 'image/png'],
      ['a ZIP named doc.pdf', 'doc.pdf', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40, 1)]), 'application/pdf'],
      ['a GIF named pic.gif', 'pic.gif', Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'image/gif'],
      ['an HTML page named page.pdf', 'page.pdf', Buffer.from('<html><script>alert(1)</script></html>'), 'application/pdf'],
      ['a PDF with a lying double extension', 'scan.pdf.exe', PDF, 'application/pdf'],
      ['a PDF with bytes before its header', 'late.pdf', Buffer.concat([Buffer.from('  '), PDF]), 'application/pdf'],
    ])('refuses %s: 415 document.unsupported_type, nothing stored', async (_what, fileName, content, contentType) => {
      const filesBefore = storedFiles().length;
      const rowsBefore = (await rowsOf(draft.id)).length;
      const response = await upload(t, student.token, draft.id, 'other', fileName, content, contentType);
      expectProblem(response, 415, 'document.unsupported_type', ['file']);
      expect(storedFiles().length).toBe(filesBefore);
      expect((await rowsOf(draft.id)).length).toBe(rowsBefore);
    });

    it('refuses an empty file: 400 document.empty', async () => {
      const filesBefore = storedFiles().length;
      expectProblem(await upload(t, student.token, draft.id, 'other', 'empty.pdf', Buffer.alloc(0)), 400, 'document.empty', ['file']);
      expect(storedFiles().length).toBe(filesBefore);
    });

    it('takes exactly 10 MiB; one byte more is 413 document.too_large with nothing stored (no row, no file)', async () => {
      const owner = await newSendingStudent(t, x);
      const application = await apply(t, owner, program.id);
      const limit = Buffer.concat([PDF, Buffer.alloc(10 * MiB - PDF.length, 0x20)]);
      const filesBefore = storedFiles().length;

      const tooLarge = await upload(t, owner.token, application.id, 'transcript', 'big.pdf', Buffer.concat([limit, Buffer.from('x')]));
      expectProblem(tooLarge, 413, 'document.too_large');
      expect(await rowsOf(application.id)).toEqual([]);
      expect(storedFiles().length).toBe(filesBefore);

      // Far beyond the limit: still a clean 413, the connection answered.
      const huge = await upload(t, owner.token, application.id, 'transcript', 'huge.pdf', Buffer.concat([PDF, Buffer.alloc(12 * MiB)]));
      expectProblem(huge, 413, 'document.too_large');
      expect(await rowsOf(application.id)).toEqual([]);
      expect(storedFiles().length).toBe(filesBefore);

      const exact = await upload(t, owner.token, application.id, 'transcript', 'big.pdf', limit);
      expect(exact.status).toBe(201);
      expect(exact.body).toMatchObject({ size: 10 * MiB, sha256: sha256(limit) });
      expect(storedFiles().length).toBe(filesBefore + 1);
    });

    it('validates the form: type and file required, type one of the known ones, no other field, one file', async () => {
      const file = { name: 'file', content: PDF, fileName: 'a.pdf', contentType: 'application/pdf' };
      const rowsBefore = (await rowsOf(draft.id)).length;
      expectProblem(await uploadParts(t, student.token, draft.id, [file]), 400, 'validation.failed', ['type']);
      expectProblem(await uploadParts(t, student.token, draft.id, [{ name: 'type', value: 'selfie' }, file]), 400, 'validation.failed', ['type']);
      expectProblem(await uploadParts(t, student.token, draft.id, [{ name: 'type', value: '' }, file]), 400, 'validation.failed', ['type']);
      expectProblem(await uploadParts(t, student.token, draft.id, [{ name: 'type', value: 'passport' }]), 400, 'validation.failed', ['file']);
      expectProblem(
        await uploadParts(t, student.token, draft.id, [{ name: 'type', value: 'passport' }, { name: 'applicationId', value: randomUUID() }, file]),
        400,
        'validation.failed',
        ['applicationId'],
      );
      expectProblem(await uploadParts(t, student.token, draft.id, [{ name: 'type', value: 'passport' }, file, { name: 'uploadedBy', value: x.admin.user.id }]), 400, 'validation.failed', [
        'uploadedBy',
      ]);
      // The type given twice is ambiguous.
      expectProblem(await uploadParts(t, student.token, draft.id, [{ name: 'type', value: 'passport' }, { name: 'type', value: 'transcript' }, file]), 400, 'validation.failed', ['type']);
      // A file under another field name.
      expectProblem(
        await uploadParts(t, student.token, draft.id, [
          { name: 'type', value: 'passport' },
          { name: 'document', content: PDF, fileName: 'a.pdf' },
        ]),
        400,
        'validation.failed',
        ['document'],
      );
      // Two files.
      const two = await uploadParts(t, student.token, draft.id, [{ name: 'type', value: 'passport' }, file, { ...file, fileName: 'b.pdf' }]);
      expect(two.status).toBeGreaterThanOrEqual(400);
      expect(two.status).toBeLessThan(500);
      expect(two.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect((await rowsOf(draft.id)).length).toBe(rowsBefore);
    });

    it('takes multipart only, and multipart only there: 415 request.unsupported_media_type', async () => {
      // JSON (or anything else) to the upload route.
      const json = await t.api.post(`/applications/${draft.id}/documents`, { type: 'passport', file: PDF.toString('base64') }, { token: student.token });
      expectProblem(json, 415, 'request.unsupported_media_type');
      const raw = await send(t, 'POST', `/applications/${draft.id}/documents`, PDF, student.token, { 'content-type': 'application/pdf' });
      expectProblem(raw, 415, 'request.unsupported_media_type');
      // A multipart body to JSON routes.
      const form = new FormData();
      form.append('fullName', 'Mallory');
      expectProblem(await send(t, 'PATCH', '/me', form, student.token), 415, 'request.unsupported_media_type');
      const apply = new FormData();
      apply.append('programId', program.id);
      expectProblem(await send(t, 'POST', '/applications', apply, student.token), 415, 'request.unsupported_media_type');
      expect((await t.api.get('/me', { token: student.token })).body.fullName).not.toBe('Mallory');
    });

    it('only the owning student uploads: others 404 when they cannot see the application, 403 when they can', async () => {
      const { owner, application } = await applicationAt('draft');
      const tryAs = (who: Session) => upload(t, who.token, application.id, 'passport', 'p.pdf', PDF);
      // Nobody but the student sees a draft.
      for (const who of [x.otherStudent, x.foreignStudent, x.sending.coordinator, x.receiving.coordinator, x.outsider.coordinator, x.receivingHostSchool, x.receivingHostFamily]) {
        expectProblem(await tryAs(who), 404, 'application.not_found');
      }
      await advance(t, x, owner, application.id, 'accepted');
      expectProblem(await tryAs(x.sending.coordinator), 403, 'access.forbidden');
      expectProblem(await tryAs(x.receiving.coordinator), 403, 'access.forbidden');
      expectProblem(await tryAs(x.receivingHostSchool), 403, 'access.forbidden');
      expectProblem(await tryAs(x.admin), 403, 'access.forbidden');
      for (const who of [x.otherStudent, x.outsider.coordinator, x.outsiderHostSchool, x.sendingHostSchool, x.receivingHostFamily]) {
        expectProblem(await tryAs(who), 404, 'application.not_found');
      }
      expect(await rowsOf(application.id)).toEqual([]);
      // The student still may (an insurance certificate arrives after acceptance).
      expect((await tryAs(owner)).status).toBe(201);

      expectProblem(await upload(t, owner.token, randomUUID(), 'passport', 'p.pdf', PDF), 404, 'application.not_found');
      expectProblem(await upload(t, owner.token, 'not-a-uuid', 'passport', 'p.pdf', PDF), 400, 'validation.failed', ['id']);
      const anonymous = await send(t, 'POST', `/applications/${application.id}/documents`, formOf([{ name: 'type', value: 'passport' }, { name: 'file', content: PDF, fileName: 'p.pdf' }]));
      expectProblem(anonymous, 401, 'auth.unauthenticated');
    });

    it('honours Idempotency-Key by content: the same upload replays, another file under the same key is 422', async () => {
      const { owner, application } = await applicationAt('draft');
      const post = (type: string, content: Buffer, fileName: string, key = 'upload-1') =>
        send(t, 'POST', `/applications/${application.id}/documents`, formOf([{ name: 'type', value: type }, { name: 'file', content, fileName }]), owner.token, { 'idempotency-key': key });
      const first = await post('passport', PDF, 'passport.pdf');
      expect(first.status).toBe(201);
      const replay = await post('passport', PDF, 'passport.pdf');
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotency-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await rowsOf(application.id)).toHaveLength(1);

      expectProblem(await post('passport', JPEG, 'passport.jpg'), 422, 'idempotency.key_reused');
      expectProblem(await post('passport', pdfWith('other bytes'), 'passport.pdf'), 422, 'idempotency.key_reused');
      expectProblem(await post('insurance', PDF, 'passport.pdf'), 422, 'idempotency.key_reused');
      expect(await rowsOf(application.id)).toHaveLength(1);
      const other = await post('passport', JPEG, 'passport.jpg', 'upload-2');
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
      expect(await rowsOf(application.id)).toHaveLength(2);
    });

    it('not once the application is final: withdrawn → 409 application.not_editable', async () => {
      const { owner, application } = await applicationAt('withdrawn');
      expectProblem(await upload(t, owner.token, application.id, 'passport', 'p.pdf', PDF), 409, 'application.not_editable');
      expect(await rowsOf(application.id)).toEqual([]);
    });
  });

  describe('download', () => {
    it('answers the bytes as an attachment with the sniffed type, and records every download', async () => {
      const content = pdfWith('download');
      const uploaded = await upload(t, student.token, draft.id, 'transcript', 'Relevé final.pdf', content, 'text/plain');
      expect(uploaded.status).toBe(201);

      const response = await download(t, student.token, uploaded.body.id);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-length')).toBe(String(content.length));
      const disposition = response.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment;/);
      expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('Relevé final.pdf')}`);
      expect(disposition).toContain('filename="Relev_ final.pdf"');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toContain('no-store');
      expect(response.bytes.equals(content)).toBe(true);

      // Quotes and backslashes in a name cannot break out of the header's quoted string.
      const raw = rawMultipart([
        { disposition: 'name="type"', content: 'other' },
        { disposition: 'name="file"; filename="a\\"b; x=y.pdf"', contentType: 'application/pdf', content: PDF },
      ]);
      const quoted = await send(t, 'POST', `/applications/${draft.id}/documents`, raw.body, student.token, { 'content-type': raw.contentType });
      expect(quoted.status).toBe(201);
      expect(quoted.body.fileName).toBe('a"b; x=y.pdf');
      const quotedDownload = await download(t, student.token, quoted.body.id);
      expect(quotedDownload.headers.get('content-disposition')).toBe(`attachment; filename="a_b; x=y.pdf"; filename*=UTF-8''${encodeURIComponent('a"b; x=y.pdf')}`);

      // RFC 8187: ' ( ) * are escaped in the extended value.
      const odd = await upload(t, student.token, draft.id, 'other', "O'Brien (copy)*.pdf", PDF);
      expect((await download(t, student.token, odd.body.id)).headers.get('content-disposition')).toBe(
        `attachment; filename="O'Brien (copy)*.pdf"; filename*=UTF-8''O%27Brien%20%28copy%29%2A.pdf`,
      );

      const png = await upload(t, student.token, draft.id, 'passport', 'passport.png', PNG);
      const image = await download(t, student.token, png.body.id);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(image.headers.get('content-disposition')).toMatch(/^attachment; filename="passport.png"/);
      expect(image.bytes.equals(PNG)).toBe(true);

      expect(await downloadsOf(uploaded.body.id)).toEqual([{ user_id: student.user.id, user_role: 'student', downloaded_at: expect.any(Date) }]);
      await download(t, student.token, uploaded.body.id);
      expect(await downloadsOf(uploaded.body.id)).toHaveLength(2);
    });

    it('a document whose file is lost from disk answers 404 (logged), and no download is recorded', async () => {
      const lost = await upload(t, student.token, draft.id, 'other', 'lost.pdf', pdfWith('lost'));
      const [row] = (await t.dataSource.query('SELECT storage_key FROM documents WHERE id = $1', [lost.body.id])) as { storage_key: string }[];
      rmSync(join(folder(), row.storage_key));
      const response = await download(t, student.token, lost.body.id);
      expectProblem(response, 404, 'document.not_found');
      expect(response.bytes.toString()).not.toMatch(/ENOENT|storage|\/tmp/);
      expect(await downloadsOf(lost.body.id)).toEqual([]);
    });

    it('BOLA: each document only for who sees the application, host schools only passport and insurance', async () => {
      const { owner, application, documents } = await applicationAt('draft', [{ type: 'transcript' }, { type: 'passport' }, { type: 'insurance' }, { type: 'motivation_letter' }]);
      const { transcript, passport, insurance } = documents;
      const status = async (who: Session, document: { id: string }) => {
        const response = await download(t, who.token, document.id);
        if (response.status !== 200) expectProblem(response, response.status, 'document.not_found');
        return response.status;
      };
      const list = (who: Session) => t.api.get(`/applications/${application.id}/documents`, { token: who.token });

      // Draft: the student only.
      expect(await status(owner, transcript)).toBe(200);
      expect((await list(owner)).body.items.map((d: { type: string }) => d.type)).toEqual(['transcript', 'passport', 'insurance', 'motivation_letter']);
      for (const who of [x.otherStudent, x.foreignStudent, x.sending.coordinator, x.receiving.coordinator, x.outsider.coordinator, x.receivingHostSchool, x.receivingHostFamily]) {
        expect(await status(who, passport)).toBe(404);
        expectProblem(await list(who), 404, 'application.not_found');
      }
      expect(await status(x.admin, transcript)).toBe(200);

      // Submitted: the sending coordinator; the receiving one not before nomination.
      await advance(t, x, owner, application.id, 'submitted');
      expect(await status(x.sending.coordinator, transcript)).toBe(200);
      expect((await list(x.sending.coordinator)).body.items).toHaveLength(4);
      expect(await status(x.receiving.coordinator, transcript)).toBe(404);
      expectProblem(await list(x.receiving.coordinator), 404, 'application.not_found');

      await t.api.post(`/applications/${application.id}/nominate`, {}, { token: x.sending.coordinator.token });
      expect(await status(x.receiving.coordinator, transcript)).toBe(200);
      // Host school of the receiving institution: not before acceptance.
      expect(await status(x.receivingHostSchool, passport)).toBe(404);
      expectProblem(await list(x.receivingHostSchool), 404, 'application.not_found');

      expect((await t.api.post(`/applications/${application.id}/accept`, {}, { token: x.receiving.coordinator.token })).status).toBe(200);
      expect(await status(x.receivingHostSchool, passport)).toBe(200);
      expect(await status(x.receivingHostSchool, insurance)).toBe(200);
      expect(await status(x.receivingHostSchool, transcript)).toBe(404);
      expect(await status(x.receivingHostSchool, documents.motivation_letter)).toBe(404);
      const seen = await list(x.receivingHostSchool);
      expect(seen.status).toBe(200);
      expect(seen.body.items.map((d: { type: string }) => d.type).sort()).toEqual(['insurance', 'passport']);

      // Never: other students, other institutions, host schools elsewhere, host families.
      for (const who of [x.otherStudent, x.foreignStudent, x.outsider.coordinator, x.outsiderHostSchool, x.sendingHostSchool, x.receivingHostFamily]) {
        for (const document of [transcript, passport, insurance]) expect(await status(who, document)).toBe(404);
        expectProblem(await list(who), 404, 'application.not_found');
      }

      // Refusals leave no trace in the download log; each success does, with the role.
      const logged = (await downloadsOf(passport.id)).map((d) => [d.user_id, d.user_role]);
      expect(logged).toEqual([[x.receivingHostSchool.user.id, 'host_school']]);
      expect((await downloadsOf(transcript.id)).map((d) => d.user_role)).toEqual(['student', 'admin', 'coordinator', 'coordinator']);

      expectProblem(await download(t, owner.token, randomUUID()), 404, 'document.not_found');
      expectProblem(await download(t, owner.token, 'nope'), 400, 'validation.failed', ['id']);
    });
  });

  describe('delete', () => {
    it('the student deletes its own while the application is a draft: 204, row and file gone', async () => {
      const { owner, application, documents } = await applicationAt('draft', [{ type: 'transcript' }, { type: 'passport' }]);
      const [row] = (await rowsOf(application.id)).filter((r) => r.id === documents.transcript.id);
      expect(existsSync(join(folder(), row.storage_key))).toBe(true);

      // Others first: 404 to whoever does not see it.
      for (const who of [x.otherStudent, x.sending.coordinator, x.receiving.coordinator, x.outsider.coordinator, x.receivingHostSchool]) {
        expectProblem(await t.api.delete(`/documents/${documents.transcript.id}`, { token: who.token }), 404, 'document.not_found');
      }
      expectProblem(await t.api.delete(`/documents/${documents.transcript.id}`, { token: x.admin.token }), 403, 'access.forbidden');

      const deleted = await t.api.delete(`/documents/${documents.transcript.id}`, { token: owner.token });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect(existsSync(join(folder(), row.storage_key))).toBe(false);
      expect((await rowsOf(application.id)).map((r) => r.id)).toEqual([documents.passport.id]);
      expectProblem(await download(t, owner.token, documents.transcript.id), 404, 'document.not_found');
      expectProblem(await t.api.delete(`/documents/${documents.transcript.id}`, { token: owner.token }), 404, 'document.not_found');
      const listed = await t.api.get(`/applications/${application.id}/documents`, { token: owner.token });
      expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([documents.passport.id]);
    });

    it('not after submission (409 application.not_editable); coordinators who see it get 403, others 404', async () => {
      const { owner, application, documents } = await applicationAt('submitted', [{ type: 'passport' }, { type: 'transcript' }]);
      const [row] = (await rowsOf(application.id)).filter((r) => r.id === documents.passport.id);
      const del = (who: Session, document = documents.passport) => t.api.delete(`/documents/${document.id}`, { token: who.token });

      expectProblem(await del(owner), 409, 'application.not_editable');
      expectProblem(await del(x.sending.coordinator), 403, 'access.forbidden');
      expectProblem(await del(x.admin), 403, 'access.forbidden');
      for (const who of [x.otherStudent, x.receiving.coordinator, x.outsider.coordinator, x.receivingHostSchool, x.receivingHostFamily]) {
        expectProblem(await del(who), 404, 'document.not_found');
      }

      await t.api.post(`/applications/${application.id}/nominate`, {}, { token: x.sending.coordinator.token });
      await t.api.post(`/applications/${application.id}/accept`, {}, { token: x.receiving.coordinator.token });
      expectProblem(await del(x.receiving.coordinator), 403, 'access.forbidden');
      expectProblem(await del(x.receivingHostSchool), 403, 'access.forbidden');
      expectProblem(await del(x.receivingHostSchool, documents.transcript), 404, 'document.not_found');
      expectProblem(await del(owner), 409, 'application.not_editable');

      expect(existsSync(join(folder(), row.storage_key))).toBe(true);
      expect(await rowsOf(application.id)).toHaveLength(2);
    });
  });

  describe('submission needs the required documents', () => {
    it('422 application.documents_missing naming the missing ones, 200 once they are uploaded', async () => {
      const strict = await exchangeProgram(t, x, { requiredDocuments: ['transcript', 'passport', 'language_certificate'] });
      const owner = await newSendingStudent(t, x);
      const application = await apply(t, owner, strict.id);
      const submit = () => t.api.post(`/applications/${application.id}/submit`, {}, { token: owner.token });

      // Documents of another application do not count.
      await upload(t, student.token, draft.id, 'language_certificate', 'cert.pdf', PDF);
      const none = await submit();
      expectProblem(none, 422, 'application.documents_missing', ['documents']);
      for (const type of ['transcript', 'passport', 'language_certificate']) expect(none.body.detail).toContain(type);
      expect(none.body.errors).toHaveLength(3);

      expect((await upload(t, owner.token, application.id, 'transcript', 't.pdf', PDF)).status).toBe(201);
      const passport = await upload(t, owner.token, application.id, 'passport', 'p.png', PNG);
      expect(passport.status).toBe(201);
      const one = await submit();
      expectProblem(one, 422, 'application.documents_missing', ['documents']);
      expect(one.body.errors).toHaveLength(1);
      expect(one.body.detail).toContain('language_certificate');
      expect(one.body.detail).not.toContain('passport');

      // A deleted document is missing again.
      expect((await upload(t, owner.token, application.id, 'language_certificate', 'c.jpg', JPEG)).status).toBe(201);
      expect((await t.api.delete(`/documents/${passport.body.id}`, { token: owner.token })).status).toBe(204);
      const again = await submit();
      expectProblem(again, 422, 'application.documents_missing', ['documents']);
      expect(again.body.detail).toContain('passport');
      expect((await t.api.get(`/applications/${application.id}`, { token: owner.token })).body.status).toBe('draft');

      expect((await upload(t, owner.token, application.id, 'passport', 'p2.pdf', PDF)).status).toBe(201);
      const submitted = await submit();
      expect(submitted.status).toBe(200);
      expect(submitted.body.status).toBe('submitted');
    });
  });
});
