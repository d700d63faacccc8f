import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error.js';
import type { Caller } from '../http/caller.js';

/**
 * The resources under access control, by name: each domain adds its own in its
 * `x.rules.ts` by declaration merging, e.g.
 *
 *   declare module '../common/access/access-policy.js' {
 *     interface Resources { application: { object: Application; action: ApplicationAction } }
 *   }
 *
 * so a misspelt resource or action is a compile error, not a 500 at run time.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Resources {}
export type ResourceName = keyof Resources & string;
export type ObjectOf<R extends ResourceName> = Resources[R] extends { object: infer T } ? T : never;
export type ActionOf<R extends ResourceName> = Resources[R] extends { action: infer A } ? A : never;

/**
 * The rules of one kind of object: which callers may see a given object at all, and which
 * actions they may take on one they see. Each domain module registers its rules here.
 */
export interface ResourceRules<R extends ResourceName> {
  /** error code prefix and name: `user` gives `user.not_found` */
  resource: R;
  canSee(caller: Caller, object: ObjectOf<R>): boolean;
  can(caller: Caller, action: ActionOf<R>, object: ObjectOf<R>): boolean;
}

function idOf(object: unknown): string | null {
  const id = (object as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * The one place that decides who may see and do what (SPEC section 2). Services call it
 * with what they loaded; it answers 404 when the object is missing or out of the caller's
 * scope (never revealing that it exists) and 403 when it is visible but the action is not
 * the caller's to take.
 */
@Injectable()
export class AccessPolicy {
  private readonly rules = new Map<string, unknown>();

  register<R extends ResourceName>(rules: ResourceRules<R>): void {
    this.rules.set(rules.resource, rules);
  }

  private rulesOf<R extends ResourceName>(resource: R): ResourceRules<R> {
    const rules = this.rules.get(resource);
    if (!rules) throw new Error(`No access rules registered for ${resource}`);
    return rules as ResourceRules<R>;
  }

  /** Returns the object when the caller may see it; 404 otherwise. */
  visible<R extends ResourceName>(caller: Caller, resource: R, object: ObjectOf<R> | null | undefined): ObjectOf<R> {
    if (object == null || !this.rulesOf(resource).canSee(caller, object)) throw CommonErrors.refused(CommonErrors.notFound(resource), { resource, targetId: idOf(object) });
    return object;
  }

  /** Returns the object when the caller may see it and take the action; 404 or 403 otherwise. */
  authorize<R extends ResourceName>(caller: Caller, resource: R, action: ActionOf<R>, object: ObjectOf<R> | null | undefined): ObjectOf<R> {
    const seen = this.visible(caller, resource, object);
    if (!this.rulesOf(resource).can(caller, action, seen)) throw CommonErrors.refused(CommonErrors.forbidden(), { resource, targetId: idOf(seen) });
    return seen;
  }
}
