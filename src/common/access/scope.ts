import { Brackets, type WhereExpressionBuilder } from 'typeorm';

/**
 * What a caller may see of one kind of object, written once and read two ways: as a
 * predicate on one loaded object (`inScope`) and as SQL for its lists (`scopeWhere`), so
 * the object check and the list query cannot disagree.
 *
 * A scope is `'all'`, or a list of branches (OR); a branch is a set of field conditions
 * (AND). A list may be served branch by branch, each one range of one index.
 */
export const NOT_NULL = { notNull: true } as const;
export interface After {
  after: Date;
}
/**
 * Equality with a value, not null, or after an instant. Compared in JS with `===`: used on
 * columns TypeORM reads as that JS type (uuid and text as strings, timestamptz as Date).
 */
export type Condition = string | number | boolean | typeof NOT_NULL | After;

export interface ScopeBranch<T> {
  /** names the branch; lists may offer it as a filter (e.g. direction=incoming) */
  name: string;
  where: Partial<Record<keyof T & string, Condition>>;
}

export type Scope<T> = 'all' | readonly ScopeBranch<T>[];

const isNotNull = (c: Condition): c is typeof NOT_NULL => typeof c === 'object' && c !== null && 'notNull' in c;
const isAfter = (c: Condition): c is After => typeof c === 'object' && c !== null && 'after' in c;

function holds(value: unknown, condition: Condition): boolean {
  if (isNotNull(condition)) return value !== null && value !== undefined;
  if (isAfter(condition)) return value instanceof Date && value.getTime() > condition.after.getTime();
  return value === condition;
}

export function inBranch<T>(branch: ScopeBranch<T>, object: T): boolean {
  return Object.entries(branch.where).every(([field, condition]) => holds((object as Record<string, unknown>)[field], condition as Condition));
}

export function inScope<T>(scope: Scope<T>, object: T): boolean {
  return scope === 'all' || scope.some((branch) => inBranch(branch, object));
}

/** Adds one branch's conditions to a query on `alias` (entity property names); parameters are named after the alias, so scopes of two joined aliases do not collide. */
export function branchWhere<T>(query: WhereExpressionBuilder, alias: string, branch: ScopeBranch<T>, prefix = `${alias}_scope`): void {
  for (const [field, condition] of Object.entries(branch.where) as [string, Condition][]) {
    const column = `${alias}.${field}`;
    if (isNotNull(condition)) query.andWhere(`${column} IS NOT NULL`);
    else {
      const parameter = `${prefix}_${field}`;
      if (isAfter(condition)) query.andWhere(`${column} > :${parameter}`, { [parameter]: condition.after });
      else query.andWhere(`${column} = :${parameter}`, { [parameter]: condition });
    }
  }
}

/** Restricts a query on `alias` to the scope (nothing for `[]`). */
export function scopeWhere<T>(query: WhereExpressionBuilder, alias: string, scope: Scope<T>): void {
  if (scope === 'all') return;
  if (!scope.length) {
    query.andWhere('FALSE');
    return;
  }
  query.andWhere(
    new Brackets((any) => {
      scope.forEach((branch, i) => any.orWhere(new Brackets((all) => branchWhere(all.where('TRUE'), alias, branch, `${alias}_scope${i}`))));
    }),
  );
}

/** A property's column: the schema names columns as their properties in snake_case. */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** The values of a branch's conditions, in the order `branchSql` places them. */
export function branchValues<T>(branch: ScopeBranch<T>): unknown[] {
  const values: unknown[] = [];
  for (const condition of Object.values(branch.where) as Condition[]) {
    if (!isNotNull(condition)) values.push(isAfter(condition) ? condition.after : condition);
  }
  return values;
}

/**
 * One branch's conditions as SQL over `alias` (a statement written by hand, not by the
 * query builder): the same conditions as `branchWhere`, each value's placeholder taken from
 * `placeholder()` in the order of `branchValues`. No condition gives `TRUE`.
 */
export function branchSql<T>(alias: string, branch: ScopeBranch<T>, placeholder: () => string): string {
  const conditions = (Object.entries(branch.where) as [string, Condition][]).map(([field, condition]) => {
    const column = `${alias}.${columnOf(field)}`;
    if (isNotNull(condition)) return `${column} IS NOT NULL`;
    return `${column} ${isAfter(condition) ? '>' : '='} ${placeholder()}`;
  });
  return conditions.length ? conditions.join(' AND ') : 'TRUE';
}

/** The form of a branch without its values (its name, fields and kinds of condition): statements written from it differ only by their values. */
export function branchShape<T>(branch: ScopeBranch<T>): string {
  const kind = (c: Condition) => (isNotNull(c) ? ' not null' : isAfter(c) ? ' >' : ' =');
  return `${branch.name}(${(Object.entries(branch.where) as [string, Condition][]).map(([field, c]) => field + kind(c)).join(',')})`;
}
