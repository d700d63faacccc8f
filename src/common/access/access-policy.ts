import { Injectable } from '@nestjs/common';
import { CommonErrors } from '../errors/domain-error.js';
import type { Caller } from '../http/caller.js';

/**
 * The rules of one kind of object: which callers may see a given object at all, and which
 * actions they may take on one they see. Each domain module registers its rules here.
 */
export interface ResourceRules<T, A extends string = string> {
  /** error code prefix and name: `user` gives `user.not_found` */
  resource: string;
  canSee(caller: Caller, object: T): boolean;
  can(caller: Caller, action: A, object: T): boolean;
}

/**
 * The one place that decides who may see and do what (SPEC section 2). Services call it
 * with what they loaded; it answers 404 when the object is missing or out of the caller's
 * scope (never revealing that it exists) and 403 when it is visible but the action is not
 * the caller's to take.
 */
@Injectable()
export class AccessPolicy {
  private readonly rules = new Map<string, ResourceRules<unknown>>();

  register<T, A extends string>(rules: ResourceRules<T, A>): void {
    this.rules.set(rules.resource, rules as ResourceRules<unknown>);
  }

  private rulesOf<T, A extends string>(resource: string): ResourceRules<T, A> {
    const rules = this.rules.get(resource);
    if (!rules) throw new Error(`No access rules registered for ${resource}`);
    return rules as ResourceRules<T, A>;
  }

  /** Returns the object when the caller may see it; 404 otherwise. */
  visible<T>(caller: Caller, resource: string, object: T | null | undefined): T {
    if (object == null || !this.rulesOf<T, string>(resource).canSee(caller, object)) throw CommonErrors.notFound(resource);
    return object;
  }

  /** Returns the object when the caller may see it and take the action; 404 or 403 otherwise. */
  authorize<T, A extends string>(caller: Caller, resource: string, action: A, object: T | null | undefined): T {
    const seen = this.visible(caller, resource, object);
    if (!this.rulesOf<T, A>(resource).can(caller, action, seen)) throw CommonErrors.forbidden();
    return seen;
  }
}
