import type { ApiResponse } from './api.js';

/**
 * A problem+json answer (SPEC section 5) with that status and, when given, that code and
 * these fields among its errors; and nothing a client must never see (stack, SQL, hash).
 */
export function expectProblem(response: Pick<ApiResponse, 'status' | 'headers' | 'body'> & { text?: string }, status: number, code?: string, fields: string[] = []): void {
  expect({ status: response.status, contentType: response.headers.get('content-type'), code: response.body?.code }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
    code: code ?? expect.any(String),
  });
  expect(response.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  if (fields.length) {
    const reported = (response.body.errors ?? []).map((e: { field: string }) => e.field);
    expect(reported).toEqual(expect.arrayContaining(fields));
  }
  const text = response.text ?? JSON.stringify(response.body);
  expect(text).not.toMatch(/"stack"|\bat .+\.[jt]s:\d+|password_hash|\$argon2|\bSELECT\b|\bINSERT\b|\bWHERE\b/);
}
