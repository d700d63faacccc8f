/**
 * Rows written straight into the database, for integration tests of queries and locks
 * that do not go through the API: two institutions, an active agreement between them and
 * one programme from the first to the second.
 */
import type { DataSource } from 'typeorm';

export interface SeededProgram {
  a: string;
  b: string;
  agreement: string;
  program: string;
}

export async function seedProgram(dataSource: DataSource): Promise<SeededProgram> {
  const [row] = await dataSource.query(`
    WITH a AS (INSERT INTO institutions (name, short_name, city, country, kind, timezone) VALUES ('A', 'A', 'Nancy', 'FR', 'university', 'Europe/Paris') RETURNING id),
         b AS (INSERT INTO institutions (name, short_name, city, country, kind, timezone) VALUES ('B', 'B', 'Krasnodar', 'RU', 'university', 'Europe/Moscow') RETURNING id),
         ag AS (INSERT INTO agreements (title, status, starts_on, ends_on, created_by) VALUES ('AB', 'active', '2026-01-01', '2030-01-01', gen_random_uuid()) RETURNING id)
    SELECT a.id AS a, b.id AS b, ag.id AS agreement FROM a, b, ag`);
  const [program] = await dataSource.query(
    `INSERT INTO programs (agreement_id, title, sending_institution_id, receiving_institution_id, academic_year, starts_on, ends_on, application_opens_at, application_closes_at, seats, created_by)
     VALUES ($1, 'P', $2, $3, '2027/2028', '2027-09-01', '2028-01-31', now(), now() + interval '30 days', 10, gen_random_uuid()) RETURNING id`,
    [row.agreement, row.a, row.b],
  );
  return { a: row.a, b: row.b, agreement: row.agreement, program: program.id };
}
