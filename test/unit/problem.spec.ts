import type { FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { ApplicationErrors } from '../../src/applications/applications.errors.js';
import { CommonErrors, DomainError } from '../../src/common/errors/domain-error.js';
import { problemOf } from '../../src/common/errors/problem.filter.js';
import { ConnectionLostError } from '../../src/common/transactions/transaction-host.js';

const request = (acceptLanguage?: string) => ({ url: '/api/v1/things?x=1', headers: { 'accept-language': acceptLanguage } }) as unknown as FastifyRequest;
const dbError = (code: string) => new QueryFailedError('UPDATE things SET x = $1', ['secret-value'], Object.assign(new Error('boom'), { code }));

describe('problemOf', () => {
  it('answers domain errors with their code, status, fields and translated texts', () => {
    const { problem, unexpected } = problemOf(CommonErrors.invalidField('seats', 'min', 'must be at least 1', { min: 1 }), request('fr'));
    expect(unexpected).toBe(false);
    expect(problem).toMatchObject({ status: 400, code: 'validation.failed', instance: '/api/v1/things', errors: [{ field: 'seats', message: 'doit être au moins 1' }] });
    expect(problem.title).toBe('La requête contient des champs invalides');
  });

  it("finds the texts of a domain's codes and field keys in that domain's catalogue", () => {
    expect(problemOf(ApplicationErrors.invalidTransition('draft', 'accept'), request('ru')).problem).toMatchObject({ status: 409, code: 'application.invalid_transition', title: 'Заявка в статусе draft не допускает accept' });
    const partner = problemOf(CommonErrors.validation([{ field: 'institutionId', key: 'notPartner', message: 'must be a partner of the agreement' }]), request('fr')).problem;
    expect(partner.errors).toEqual([{ field: 'institutionId', message: "doit être partenaire de l'accord" }]);
    const missing = problemOf(ApplicationErrors.documentsMissing(['cv']), request('en')).problem;
    expect(missing).toMatchObject({ status: 422, title: 'Required documents are missing: cv', errors: [{ field: 'documents', message: 'a cv document is required' }] });
  });

  it('answers a code without a title with the HTTP reason phrase, and a key without a message with the message as is', () => {
    const { problem } = problemOf(new DomainError('thing.unheard_of', 409, {}, [{ field: 'x', key: 'toString', message: 'is odd' }]), request('fr'));
    expect(problem).toMatchObject({ title: 'Conflict', errors: [{ field: 'x', message: 'is odd' }] });
  });

  it.each(['40P01', '40001', '55P03', '23505', '23503'])('answers the database collision %s with 409 request.conflict and Retry-After', (code) => {
    const { problem, headers, unexpected } = problemOf(dbError(code), request());
    expect(unexpected).toBe(false);
    expect(problem).toMatchObject({ status: 409, code: 'request.conflict' });
    expect(headers['Retry-After']).toBe('1');
    expect(JSON.stringify(problem)).not.toMatch(/UPDATE|secret-value|boom/);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' })],
    ['no connection in time', new Error('timeout exceeded when trying to connect')],
    ['a connection lost mid-query', new QueryFailedError('SELECT $1', ['secret-value'], new Error('Connection terminated unexpectedly'))],
    ['a server shutting down', dbError('57P01')],
    ['a server starting up', dbError('57P03')],
    ['a connection failure', dbError('08006')],
    ['a transaction whose connection was lost', new ConnectionLostError(new Error('Query runner already released. Cannot run queries anymore.'))],
    ['too many connections', dbError('53300')],
  ])('answers %s with 503 database.unavailable and Retry-After', (_, error) => {
    const { problem, headers, unexpected } = problemOf(error, request('fr'));
    expect(unexpected).toBe(false);
    expect(problem).toMatchObject({ status: 503, code: 'database.unavailable', title: 'La base de données est indisponible ; réessayez dans un instant' });
    expect(Number(headers['Retry-After'])).toBeGreaterThan(0);
    expect(JSON.stringify(problem)).not.toMatch(/SELECT|secret-value|5432|ECONN|terminated/);
  });

  it('answers any other error with a bare 500, nothing of it in the body', () => {
    for (const error of [dbError('42P01'), new Error('kaboom at /srv/app.js:1'), new DomainError('internal.error', 500)]) {
      const { problem } = problemOf(error, request('ru'));
      expect(problem).toMatchObject({ status: 500, code: 'internal.error', title: 'Внутренняя ошибка сервера' });
      expect(JSON.stringify(problem)).not.toMatch(/kaboom|srv|42P01|UPDATE/);
    }
  });
});
